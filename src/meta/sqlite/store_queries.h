// The queries both halves of SqliteMetaStore share (sqlite_meta_store.cc for buckets and objects,
// sqlite_multipart.cc for uploads): bucket existence, the current object of a key, and the blob
// reference accounting that every write touching extents must get right.
//
// Reference rule: an object or a part holds one reference per distinct blob of its extents, and
// `blobs.refcount` is the number of such holders. A write computes the net change per blob over
// everything it adds and removes and applies it once, so a blob that one record gives up and
// another takes in the same transaction is never seen at zero, hence never reported as freed.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "core/records.h"
#include "meta/sqlite/connection.h"

namespace cairn::meta::sqlite {

// OK when bucket `name` exists, NoSuchBucket when not.
Status BucketExists(Connection& c, const std::string& name);

// The current object with its extents (and, `with_data`, its inline bytes, read in the same
// statement, so from the same snapshot), or nullopt when the key is absent.
Result<std::optional<core::ObjectRecord>> FindObject(Connection& c, const std::string& bucket,
                                                     const std::string& key,
                                                     bool with_data = false);

// Net reference changes per blob id, built by the Add/Drop calls below.
using BlobDeltas = std::map<std::string, int64_t>;

// One reference per distinct blob of `extents` taken (Add) or given up (Drop).
void AddReferences(const std::vector<core::Extent>& extents, BlobDeltas* deltas);
void DropReferences(const std::vector<core::Extent>& extents, BlobDeltas* deltas);

// Applies `deltas` to the blobs table and returns, in id order, the ids whose count reached zero
// (their rows are deleted; the caller removes the files after committing).
Result<std::vector<std::string>> ApplyBlobDeltas(Connection& c, const BlobDeltas& deltas);

// Moves one holder's references from the `before` extents to the `after` extents (a replaced
// object or part). Returns the freed ids.
Result<std::vector<std::string>> MoveBlobReferences(Connection& c,
                                                    const std::vector<core::Extent>& before,
                                                    const std::vector<core::Extent>& after);

}  // namespace cairn::meta::sqlite
