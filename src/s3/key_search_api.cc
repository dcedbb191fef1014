#include "s3/key_search_api.h"

#include <charconv>

#include "common/encoding.h"
#include "common/time_format.h"

namespace cairn::s3 {
namespace {

Error Invalid(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message));
}

Result<uint32_t> ReadLimit(std::string_view text) {
  uint32_t limit = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
  // The range is the service's to check (core/object_search.h).
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Invalid("limit must be a whole number from 1 to " +
                   std::to_string(core::kSearchMaxLimit) + ".");
  }
  return limit;
}

}  // namespace

Result<core::SearchRequest> ParseSearchRequest(std::string bucket, const QueryParams& query) {
  core::SearchRequest request;
  request.bucket = std::move(bucket);
  request.substring = std::string(query.Get("q").value_or(""));
  if (request.substring.empty()) return Invalid("q, the text to search for, is required.");
  request.prefix = std::string(query.Get("prefix").value_or(""));
  if (auto cursor = query.Get("cursor"); cursor && !cursor->empty()) {
    std::optional<std::string> after = Base64Decode(*cursor);
    if (!after) return Invalid("cursor is not one this API gave.");
    request.start_after = std::move(*after);
  }
  if (auto limit = query.Get("limit")) {
    Result<uint32_t> parsed = ReadLimit(*limit);
    if (!parsed.ok()) return parsed.error();
    request.limit = *parsed;
  }
  if (auto ignore_case = query.Get("ignoreCase")) {
    if (*ignore_case != "true" && *ignore_case != "false") {
      return Invalid("ignoreCase must be true or false.");
    }
    request.ignore_ascii_case = *ignore_case == "true";
  }
  return request;
}

nlohmann::json SearchPageJson(const core::SearchPage& page) {
  nlohmann::json matches = nlohmann::json::array();
  for (const core::ObjectRecord& o : page.matches) {
    matches.push_back({{"key", o.key},
                       {"size", o.size},
                       {"lastModified", FormatIso8601(o.last_modified)},
                       {"etag", o.etag},
                       {"storageClass", o.storage_class}});
  }
  return {{"matches", std::move(matches)},
          {"cursor", page.truncated ? nlohmann::json(Base64Encode(page.resume_after))
                                    : nlohmann::json(nullptr)},
          {"scanned", page.scanned}};
}

}  // namespace cairn::s3
