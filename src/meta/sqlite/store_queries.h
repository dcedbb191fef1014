// The queries both halves of SqliteMetaStore share (sqlite_meta_store.cc for buckets and objects,
// sqlite_multipart.cc for uploads): bucket existence, the current object of a key, and the blob
// reference accounting that every write touching extents must get right (the rule is in
// meta/blob_deltas.h; `blobs.refcount` is the number of holders).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "core/records.h"
#include "meta/blob_deltas.h"
#include "meta/sqlite/connection.h"

namespace cairn::meta::sqlite {

// OK when bucket `name` exists, NoSuchBucket when not.
Status BucketExists(Connection& c, const std::string& name);

// The current object with its extents (and, `with_data`, its inline bytes, read in the same
// statement, so from the same snapshot), or nullopt when the key is absent.
Result<std::optional<core::ObjectRecord>> FindObject(Connection& c, const std::string& bucket,
                                                     const std::string& key,
                                                     bool with_data = false);

using meta::AddReferences;
using meta::BlobDeltas;
using meta::DropReferences;

// Applies `deltas` to the blobs table and returns, in id order, the ids whose count reached zero
// (their rows are deleted; the caller removes the files after committing).
Result<std::vector<std::string>> ApplyBlobDeltas(Connection& c, const BlobDeltas& deltas);

// Moves one holder's references from the `before` extents to the `after` extents (a replaced
// object or part). Returns the freed ids.
Result<std::vector<std::string>> MoveBlobReferences(Connection& c,
                                                    const std::vector<core::Extent>& before,
                                                    const std::vector<core::Extent>& after);

}  // namespace cairn::meta::sqlite
