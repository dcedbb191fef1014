#include "core/object_search.h"

#include "common/utf8.h"
#include "meta/meta_store.h"

namespace cairn::core {
namespace {

constexpr size_t kMaxSubstringBytes = 1024;  // no key is longer, so no longer substring matches

Status Validate(const SearchRequest& r) {
  if (r.substring.empty()) {
    return Error(ErrorCode::kInvalidArgument, "Give the text to search for: it may not be empty.");
  }
  if (r.substring.size() > kMaxSubstringBytes || !IsValidUtf8(r.substring)) {
    return Error(ErrorCode::kInvalidArgument,
                 "The text to search for must be UTF-8 of at most 1024 bytes, as keys are.");
  }
  if (r.limit < 1 || r.limit > kSearchMaxLimit) {
    return Error(ErrorCode::kInvalidArgument, "The limit must be a whole number from 1 to " +
                                                  std::to_string(kSearchMaxLimit) + ".");
  }
  return Status::Ok();
}

}  // namespace

Awaitable<Result<SearchPage>> SearchObjects(Storage& storage, SearchRequest request) {
  if (Status s = Validate(request); !s.ok()) co_return s.error();
  SearchQuery query;
  query.substring = std::move(request.substring);
  query.prefix = std::move(request.prefix);
  query.start_after = std::move(request.start_after);
  query.max_matches = request.limit;
  query.scan_budget = kSearchScanBudget;
  query.ignore_ascii_case = request.ignore_ascii_case;
  co_return co_await storage.Lookup(
      [&] { return storage.meta.SearchObjects(request.bucket, query); });
}

}  // namespace cairn::core
