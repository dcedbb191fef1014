// Streams a request body into a new blob: decoded bytes go through the integrity checker and into
// the blob writer on the worker pool, in pieces of at most 1 MiB, so memory stays bounded whatever
// the body's size. The blob is committed (durable) only after every digest matched; on any error
// it is discarded and nothing is visible.
//
// A small body (it declared at most StorageLimits::inline_max_bytes) can instead be kept in memory
// and stored inline with its object's metadata: no blob file, no fsync of its own, one group
// commit for many such PUTs. It is hashed on the calling executor (the event loop): for a few KiB
// that costs less than the trip to the worker pool it saves.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/awaitable.h"
#include "common/status.h"
#include "core/body_source.h"
#include "core/integrity_checker.h"
#include "core/records.h"
#include "core/storage.h"

namespace cairn::core {

struct IngestedBody {
  uint64_t size = 0;
  std::string blob_id;      // empty for an empty or an inline body: no blob file
  std::string inline_data;  // the bytes of an inline body
  IntegrityOutcome integrity;
};

enum class BodyStorage {
  kBlob,             // always a blob file (upload parts: they become extents)
  kInlineWhenSmall,  // inline when the body declared itself small enough (whole objects)
};

// Whether a body declaring `declared_size` is stored inline with `mode`.
bool StoredInline(const Storage& storage, std::optional<uint64_t> declared_size, BodyStorage mode);

// Errors: those of the body source and integrity checks, InsufficientStorage when the declared
// size would eat into the free-space reserve, and the blob engine's (a full disk among them).
Awaitable<Result<IngestedBody>> IngestBody(Storage& storage, BodySource& source,
                                           IntegrityExpectations expectations,
                                           BodyStorage mode = BodyStorage::kBlob);

// The extents of an ingested body: one extent covering its blob, none when it is empty or inline.
std::vector<Extent> ExtentsOf(const IngestedBody& body);

// Hands blobs that no object references any more (after a metadata commit released them, or
// after a commit failed) to the reclaimer, which deletes them once no reader can use them.
Awaitable<void> ReleaseBlobs(Storage& storage, std::vector<std::string> blob_ids);

// After a metadata commit that would have referenced `new_blobs` failed with `error`: releases
// them when the commit certainly did not happen, and leaves them to the orphan sweep when its
// outcome is unknown (a record may name them). Returns `error`.
Awaitable<Error> AbandonBlobs(Storage& storage, std::vector<std::string> new_blobs, Error error);

}  // namespace cairn::core
