// The lifecycle sweeper: applies every bucket's lifecycle rules (and R2's default 7-day abort of
// incomplete multipart uploads) at a given time. One pass aborts due uploads, forgets the records
// of completed uploads kept until before then (core::CompletedUploadRecord), expires due objects
// and moves due objects to STANDARD_IA, one metadata transaction per item (per batch of records),
// so requests keep flowing between them. Blocking: run it on a worker thread.
#pragma once

#include <cstddef>

#include "blob/blob_store.h"
#include "common/status.h"
#include "common/time_format.h"
#include "core/blob_reclaimer.h"
#include "meta/meta_store.h"

namespace cairn::core {

struct SweepReport {
  bool skipped = false;  // another process sharing the metadata store holds the sweep's lease
  size_t aborted_uploads = 0;
  size_t forgotten_completions = 0;
  size_t expired_objects = 0;
  size_t transitioned_objects = 0;
};

class LifecycleSweeper {
 public:
  LifecycleSweeper(meta::MetaStore& meta, BlobReclaimer& reclaimer)
      : meta_(meta), reclaimer_(reclaimer) {}

  // One pass at time `now`. Items that vanish or change under it (a racing delete, complete or
  // overwrite) are skipped, never treated as errors. Gateways sharing one metadata store take
  // turns: a pass runs under the store's lease kLeaseName (MetaStore::TryLease), and is skipped
  // when another gateway's pass holds it.
  Result<SweepReport> SweepOnce(TimePoint now);

  static constexpr char kLeaseName[] = "lifecycle-sweep";

 private:
  Status AbortDueUploads(TimePoint now, SweepReport& report);
  Status ForgetExpiredCompletions(TimePoint now, SweepReport& report);
  Status ApplyObjectRules(TimePoint now, SweepReport& report);

  meta::MetaStore& meta_;
  BlobReclaimer& reclaimer_;
};

}  // namespace cairn::core
