// Reading the bulk list: every entry checked before anything is uploaded, so that a typo in the
// list is reported with its position instead of as a failed upload.
#include "cli/bulk_list.h"

#include "cli/errors.h"
#include "cli/output.h"

namespace cairn::cli {

std::vector<BulkEntry> ParseBulkList(std::string_view text, std::string_view what) {
  Json list;
  try {
    list = Json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw UsageError(std::string(what) + ": not valid JSON (" + e.what() + ")");
  }
  if (!list.is_array()) {
    throw UsageError(std::string(what) + ": expected a JSON array of {\"key\": .., \"file\": ..}");
  }
  std::vector<BulkEntry> entries;
  for (size_t i = 0; i < list.size(); ++i) {
    const Json& item = list[i];
    auto field = [&](const char* name, bool required) -> std::string {
      if (!item.is_object() || !item.contains(name)) {
        if (!required) return {};
      } else if (item[name].is_string() && !item[name].get<std::string>().empty()) {
        return item[name].get<std::string>();
      }
      throw UsageError(std::string(what) + ": entry " + std::to_string(i + 1) + " needs \"" + name +
                       "\" (a non-empty string)");
    };
    entries.push_back({field("key", true), field("file", true), field("content_type", false)});
  }
  return entries;
}

}  // namespace cairn::cli
