#include "core/lifecycle_sweeper.h"

#include <map>
#include <optional>

#include "core/bucket_documents.h"

namespace cairn::core {
namespace {

// No rule aborts an upload sooner than a day after it started.
constexpr auto kShortestAbortAge = std::chrono::hours(24);
constexpr uint32_t kUploadsPerPass = 100000;
constexpr uint32_t kCompletionsPerBatch = 1000;
constexpr uint32_t kObjectsPerPage = 1000;

bool Vanished(const Error& e) {
  return e.code == ErrorCode::kNoSuchUpload || e.code == ErrorCode::kNoSuchKey ||
         e.code == ErrorCode::kNoSuchBucket || e.code == ErrorCode::kPreconditionFailed;
}

}  // namespace

Result<SweepReport> LifecycleSweeper::SweepOnce(TimePoint now) {
  SweepReport report;
  // One lease for the whole pass rather than one per bucket or row: a pass is short next to the
  // interval between passes, so one gateway sweeping everything costs nothing in latency, and no
  // two gateways ever judge the same upload or object at once. Every step is still conditional
  // (an overwrite or delete meanwhile wins), so a lease lost mid-pass only costs duplicate reads.
  auto lease = meta_.TryLease(kLeaseName);
  if (!lease.ok()) return lease.error();
  if (!*lease) {
    report.skipped = true;
    return report;
  }
  if (Status s = AbortDueUploads(now, report); !s.ok()) return s.error();
  if (Status s = ForgetExpiredCompletions(now, report); !s.ok()) return s.error();
  if (Status s = ApplyObjectRules(now, report); !s.ok()) return s.error();
  return report;
}

Status LifecycleSweeper::AbortDueUploads(TimePoint now, SweepReport& report) {
  auto uploads = meta_.ListUploadsInitiatedBefore(
      now - std::chrono::duration_cast<std::chrono::milliseconds>(kShortestAbortAge),
      kUploadsPerPass);
  if (!uploads.ok()) return uploads.status();
  std::map<std::string, std::optional<LifecycleConfiguration>> configs;  // per bucket, this pass
  for (const core::UploadRecord& upload : *uploads) {
    auto it = configs.find(upload.bucket);
    if (it == configs.end()) {
      auto loaded = LoadLifecycle(meta_, upload.bucket);
      if (!loaded.ok()) {
        if (Vanished(loaded.error())) continue;
        return loaded.status();
      }
      it = configs.emplace(upload.bucket, std::move(*loaded)).first;
    }
    const LifecycleConfiguration* config = it->second ? &*it->second : nullptr;
    if (AbortScheduleFor(config, upload.key, upload.initiated).abort_at > now) continue;
    auto released = meta_.AbortUpload(upload.bucket, upload.key, upload.upload_id);
    if (!released.ok()) {
      if (Vanished(released.error())) continue;
      return released.status();
    }
    reclaimer_.Release(*released);
    ++report.aborted_uploads;
  }
  return Status::Ok();
}

Status LifecycleSweeper::ForgetExpiredCompletions(TimePoint now, SweepReport& report) {
  for (;;) {
    auto deleted = meta_.DeleteCompletionsBefore(now, kCompletionsPerBatch);
    if (!deleted.ok()) return deleted.status();
    report.forgotten_completions += *deleted;
    if (*deleted < kCompletionsPerBatch) return Status::Ok();
  }
}

Status LifecycleSweeper::ApplyObjectRules(TimePoint now, SweepReport& report) {
  auto buckets = meta_.ListBuckets();
  if (!buckets.ok()) return buckets.status();
  for (const core::BucketRecord& bucket : *buckets) {
    auto config = LoadLifecycle(meta_, bucket.name);
    if (!config.ok()) {
      if (Vanished(config.error())) continue;
      return config.status();
    }
    if (!config->has_value()) continue;
    for (const LifecycleRule& rule : (*config)->rules) {
      const bool acts_on_objects = rule.expiration_days || rule.expiration_date ||
                                   rule.transition_days || rule.transition_date;
      if (!rule.enabled || !acts_on_objects) continue;
      core::ListQuery query;
      query.prefix = rule.prefix;
      query.max_keys = kObjectsPerPage;
      for (;;) {
        auto page = meta_.ListObjects(bucket.name, query);
        if (!page.ok()) {
          if (Vanished(page.error())) break;
          return page.status();
        }
        for (const core::ObjectRecord& listed : page->objects) {
          ObjectAction action =
              ObjectActionAt(**config, listed.key, listed.last_modified, listed.storage_class, now);
          if (action == ObjectAction::kExpire) {
            auto released = meta_.DeleteObject(bucket.name, listed.key);
            if (!released.ok()) {
              if (Vanished(released.error())) continue;
              return released.status();
            }
            reclaimer_.Release(*released);
            ++report.expired_objects;
          } else if (action == ObjectAction::kTransition) {
            auto current = meta_.GetObject(bucket.name, listed.key);
            if (!current.ok()) {
              if (Vanished(current.error())) continue;
              return current.status();
            }
            core::ObjectRecord moved = *current;
            moved.storage_class = "STANDARD_IA";
            // Only the version that was judged moves; an overwrite meanwhile wins.
            auto unchanged = [&](const std::optional<core::ObjectRecord>& now_stored) {
              return now_stored && now_stored->etag == current->etag &&
                             now_stored->last_modified == current->last_modified
                         ? Status::Ok()
                         : Status(ErrorCode::kPreconditionFailed);
            };
            auto released = meta_.PutObject(moved, unchanged);
            if (!released.ok()) {
              if (Vanished(released.error())) continue;
              return released.status();
            }
            reclaimer_.Release(*released);
            ++report.transitioned_objects;
          }
        }
        if (!page->truncated) break;
        query.start_after = page->next_marker;
      }
    }
  }
  return Status::Ok();
}

}  // namespace cairn::core
