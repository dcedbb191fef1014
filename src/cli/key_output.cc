// Key descriptions for people. Times are shown to the minute in UTC ("2026-12-07 03:00"), which is
// what one reads a key list for; --json keeps the milliseconds.
#include "cli/key_output.h"

#include <algorithm>
#include <vector>

namespace cairn::cli {
namespace {

std::string Text(const Json& object, const char* field) {
  auto it = object.find(field);
  if (it == object.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

std::string JoinStrings(const Json& list) {
  std::string out;
  if (!list.is_array()) return out;
  for (const Json& item : list) {
    if (!item.is_string()) continue;
    if (!out.empty()) out += ", ";
    out += item.get<std::string>();
  }
  return out;
}

// "2026-12-07T03:00:00.000Z" -> "2026-12-07 03:00"; null (no such time) -> `none`.
std::string ShortTime(const Json& object, const char* field, const char* none) {
  const std::string iso = Text(object, field);
  if (iso.empty()) return none;
  if (iso.size() >= 16 && iso[10] == 'T') return iso.substr(0, 10) + " " + iso.substr(11, 5);
  return iso;
}

// Columns are as wide as their text in characters, not bytes: names may be any UTF-8.
size_t DisplayWidth(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string FullTime(const Json& object, const char* field, const char* none) {
  const std::string iso = Text(object, field);
  return iso.empty() ? none : iso;
}

}  // namespace

std::string KeyScope(const Json& key) {
  const std::string permission = Text(key, "permission");
  if (permission.rfind("admin-", 0) == 0) return "all";
  const std::string buckets = key.contains("buckets") ? JoinStrings(key["buckets"]) : "";
  const std::string prefixes = key.contains("prefixes") ? JoinStrings(key["prefixes"]) : "";
  std::string scope = "buckets: " + (buckets.empty() ? std::string("all") : buckets);
  if (!prefixes.empty()) scope += "; prefixes: " + prefixes;
  return scope;
}

std::string KeyTable(const Json& list) {
  std::vector<std::vector<std::string>> rows = {
      {"ID", "NAME", "PERMISSION", "SCOPE", "CREATED", "LAST USED", "EXPIRES"}};
  const Json keys = list.is_object() ? list.value("keys", Json::array()) : Json::array();
  for (const Json& key : keys) {
    if (!key.is_object()) continue;
    std::string name = Text(key, "name");
    if (key.contains("builtin") && key["builtin"] == true) name += " (builtin)";
    rows.push_back({Text(key, "accessKeyId"), name, Text(key, "permission"), KeyScope(key),
                    ShortTime(key, "createdAt", "-"), ShortTime(key, "lastUsedAt", "never"),
                    ShortTime(key, "expiresAt", "never")});
  }
  std::vector<size_t> widths(rows.front().size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - DisplayWidth(row[i]) + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

std::string DescribeIssuedKey(const Json& issued, bool rotation) {
  std::string out = FieldLine("access key id", Text(issued, "accessKeyId"));
  out += FieldLine("secret access key", Text(issued, "secretAccessKey"));
  if (issued.contains("sessionToken")) {
    out += FieldLine("session token", Text(issued, "sessionToken"));
  }
  if (issued.contains("name")) out += FieldLine("name", Text(issued, "name"));
  if (issued.contains("parent")) out += FieldLine("parent", Text(issued, "parent"));
  out += FieldLine("permission", Text(issued, "permission"));
  out += FieldLine("scope", KeyScope(issued));
  out += FieldLine("expires", FullTime(issued, "expiresAt", "never"));
  if (rotation) {
    out += FieldLine("old secret valid to", FullTime(issued, "previousSecretExpiresAt",
                                                     "no longer: it stopped working at once"));
  }
  return out;
}

}  // namespace cairn::cli
