// The ListObjects page algorithm, apart from any engine. An engine supplies a KeyScanner (an
// ordered range scan over one bucket's keys); WalkListing turns it into one S3 page: prefix
// filtering, start-after, rolling keys into common prefixes, and max-keys truncation.
//
// Why a seek per common prefix: a delimiter listing of a bucket with millions of keys under a few
// "directories" must not read those millions of rows. After emitting common prefix `cp`, every
// further key that starts with `cp` would roll into it again, so the walk re-seeks to the first key
// that does not: PrefixSuccessor(cp). A page therefore costs at most (max_keys + 1) seeks plus the
// rows it returns, whatever the bucket size.
//
// Bounds are inclusive lower / exclusive upper byte strings; "key > s" is written as
// "key >= s + '\0'", the next byte string after s, so engines need one kind of lower bound.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "core/records.h"

namespace cairn::meta {

// The smallest byte string greater than every string that starts with `prefix`, or nullopt when
// there is none (empty prefix, or all 0xFF bytes). Strips trailing 0xFF bytes, then increments
// the last byte: "a\xff" -> "b".
std::optional<std::string> PrefixSuccessor(std::string_view prefix);

// An ordered scan over one bucket's keys, in byte order. Not thread-safe; one walk at a time.
class KeyScanner {
 public:
  virtual ~KeyScanner() = default;
  // (Re)starts the scan at the first key >= `from` and, when `before` is set, < *before.
  // `limit` is how many rows the walk may still read; engines may use it as a LIMIT.
  virtual Status Seek(const std::string& from, const std::optional<std::string>& before,
                      uint64_t limit) = 0;
  // Advances to the next key; false at the end of the range.
  virtual Result<bool> Next(std::string* key) = 0;
  // The full record (extents may be left empty) of the key Next() returned last. The walk calls
  // it only for keys it returns as objects, so rows rolled into prefixes are never decoded.
  virtual Result<core::ObjectRecord> Current() = 0;
};

// Produces one page for `query`. When query.start_after lies inside a common prefix (in particular
// when it is a common prefix a previous page returned as next_marker), the whole group counts as
// already listed and is skipped.
Result<core::ListPage> WalkListing(const core::ListQuery& query, KeyScanner& scanner);

}  // namespace cairn::meta
