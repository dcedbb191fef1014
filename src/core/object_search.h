// The substring search over a bucket's keys (cairn's own extension: S3 and R2 list by prefix
// only), as the admin API and through it the dashboard and `cairn object find` call it. A page
// reads at most kSearchScanBudget keys, so it answers in bounded time however large the bucket
// and however rare the substring; the caller goes on after SearchPage::resume_after. Who may
// search where is the caller's to check (a search shows keys as a listing under the same prefix
// does: s3/authorization.h).
#pragma once

#include <cstdint>
#include <string>

#include "common/awaitable.h"
#include "common/status.h"
#include "core/records.h"
#include "core/storage.h"

namespace cairn::core {

inline constexpr uint32_t kSearchDefaultLimit = 100;
inline constexpr uint32_t kSearchMaxLimit = 1000;
// Keys read per page at most: a few tens of milliseconds of SQLite on one core.
inline constexpr uint64_t kSearchScanBudget = 100'000;

struct SearchRequest {
  std::string bucket;
  std::string substring;                 // non-empty UTF-8, at most a key's 1024 bytes
  std::string prefix;                    // only keys under it
  std::string start_after;               // a previous page's resume_after
  uint32_t limit = kSearchDefaultLimit;  // matches per page, 1 to kSearchMaxLimit
  bool ignore_ascii_case = false;
};

// One page of matches in key order. Errors: InvalidArgument (the substring or the limit),
// NoSuchBucket.
Awaitable<Result<SearchPage>> SearchObjects(Storage& storage, SearchRequest request);

}  // namespace cairn::core
