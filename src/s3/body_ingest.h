// Streams a request body into a new blob: decoded bytes go through the integrity checker and into
// the blob writer on the worker pool, in pieces of at most 1 MiB, so memory stays bounded whatever
// the body's size. The blob is committed (durable) only after every digest matched; on any error
// it is discarded and nothing is visible.
//
// A small body (it declared at most ServerConfig::inline_max_bytes) can instead be kept in memory
// and stored inline with its object's metadata: no blob file, no fsync of its own, one group
// commit for many such PUTs. It is hashed on the event loop: for a few KiB that costs less than
// the trip to the worker pool it saves.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "blob/blob_store.h"
#include "common/status.h"
#include "meta/meta_store.h"
#include "s3/body_source.h"
#include "s3/context.h"
#include "s3/integrity.h"
#include "s3/object_headers.h"
#include "s3/payload.h"

namespace cairn::s3 {

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

// Whether a body declaring `declared_size` is stored inline with `storage`.
bool StoredInline(const RequestContext& ctx, std::optional<uint64_t> declared_size,
                  BodyStorage storage);

// Errors: those of the body source and integrity checks, InsufficientStorage when the declared
// size would eat into the free-space reserve or the disk fills up.
Awaitable<Result<IngestedBody>> IngestBody(RequestContext& ctx, BodySource& source,
                                           IntegrityExpectations expectations,
                                           BodyStorage storage = BodyStorage::kBlob);

// The extents of an ingested body: one extent covering its blob, none when it is empty or inline.
std::vector<core::Extent> ExtentsOf(const IngestedBody& body);

// The record of an object stored whole from one body (PutObject, POST Object): its size, the MD5
// as ETag, the computed checksum (FULL_OBJECT) and the request's metadata, modified now.
core::ObjectRecord SingleBodyObject(std::string bucket, std::string key, const IngestedBody& body,
                                    RequestMetadata metadata);

// Commits `object` (stored in `body`'s blob) when `condition` holds, then removes the blobs the
// commit released. When the commit fails, the new blob is removed instead: nothing changed.
Awaitable<Status> CommitObject(RequestContext& ctx, const core::ObjectRecord& object,
                               const IngestedBody& body, meta::WriteCondition condition);

// Hands blobs that no object references any more (after a metadata commit released them, or
// after a commit failed) to the reclaimer, which deletes them once no reader can use them.
Awaitable<void> RemoveBlobs(RequestContext& ctx, std::vector<std::string> blob_ids);

}  // namespace cairn::s3
