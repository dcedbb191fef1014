// Bucket CORS rules: the checks of PutBucketCors (Amazon S3 API reference, "PutBucketCors", and
// the user guide's "CORS configuration"), the stored JSON form, and the evaluation the user guide
// describes under "How does Amazon S3 evaluate the CORS configuration on a bucket?": the first rule
// whose origin, method and (for a preflight) requested headers all match decides the answer.
// Origins compare case-sensitively, header names case-insensitively, as S3 does.
#include "core/cors.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <exception>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/header_field.h"
#include "common/utf8.h"

namespace cairn::core {
namespace {

using nlohmann::json;

constexpr size_t kMaxRules = 100;  // PutBucketCors: "You can add up to 100 rules"
constexpr size_t kMaxIdLength = 255;

// The five methods a CORSRule's AllowedMethod may name; S3 compares them case-sensitively.
bool IsSupportedMethod(std::string_view method) {
  return method == "GET" || method == "PUT" || method == "POST" || method == "DELETE" ||
         method == "HEAD";
}

std::string RuleName(const CorsRule& rule, size_t index) {
  return rule.id.empty() ? "rule " + std::to_string(index + 1) : "rule '" + rule.id + "'";
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

// '*' matches any run of characters, the empty one included. Validation allows one '*' per
// pattern, but stored rules are matched the same way whatever they hold, so this is the general
// glob with backtracking to the last star.
bool WildcardMatch(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0;
  size_t star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// Patterns are stored as sent; header names are compared lowercase on both sides.
bool HeaderAllowed(const CorsRule& rule, std::string_view lowered_header) {
  return std::any_of(
      rule.allowed_headers.begin(), rule.allowed_headers.end(),
      [&](const std::string& p) { return WildcardMatch(ToLower(p), lowered_header); });
}

bool OriginAllowed(const CorsRule& rule, std::string_view origin, bool* any_origin) {
  for (const std::string& pattern : rule.allowed_origins) {
    if (WildcardMatch(pattern, origin)) {
      *any_origin = pattern == "*";
      return true;
    }
  }
  return false;
}

std::vector<std::string> SplitHeaderList(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string_view item = TrimSpace(list.substr(0, comma));
    if (!item.empty()) out.push_back(ToLower(item));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

std::vector<std::string> StringList(const json& r, const char* key) {
  if (!r.contains(key)) return {};
  return r.at(key).get<std::vector<std::string>>();
}

}  // namespace

Status ValidateCors(const CorsConfiguration& config) {
  if (config.rules.empty()) {
    return Status(ErrorCode::kMalformedXML, "A CORS configuration needs at least one CORSRule");
  }
  if (config.rules.size() > kMaxRules) {
    return Status(ErrorCode::kInvalidRequest, "A CORS configuration can have at most 100 rules");
  }
  for (size_t i = 0; i < config.rules.size(); ++i) {
    const CorsRule& rule = config.rules[i];
    // Rules are stored as JSON and rendered back as XML, so their text must be UTF-8, which the
    // XML parser does not check: the store would replace other bytes and GET return other rules.
    if (!IsValidUtf8(rule.id)) {
      return Status(ErrorCode::kInvalidArgument,
                    "The ID of rule " + std::to_string(i + 1) + " must be UTF-8");
    }
    const std::string where = " (" + RuleName(rule, i) + ")";
    for (const auto* list : {&rule.allowed_origins, &rule.allowed_methods, &rule.allowed_headers,
                             &rule.expose_headers}) {
      for (const std::string& value : *list) {
        if (!IsValidUtf8(value)) {
          return Status(ErrorCode::kInvalidArgument, "CORS rules must be UTF-8 text" + where);
        }
      }
    }
    if (rule.id.size() > kMaxIdLength) {
      return Status(ErrorCode::kInvalidArgument,
                    "ID length should not exceed allowed limit of 255" + where);
    }
    // AllowedOrigin and AllowedMethod are required by the CORSRule schema.
    if (rule.allowed_origins.empty()) {
      return Status(ErrorCode::kMalformedXML, "A CORSRule needs an AllowedOrigin" + where);
    }
    if (rule.allowed_methods.empty()) {
      return Status(ErrorCode::kMalformedXML, "A CORSRule needs an AllowedMethod" + where);
    }
    for (const std::string& method : rule.allowed_methods) {
      if (!IsSupportedMethod(method)) {
        // S3's message, word for word, so that clients matching on it keep working.
        return Status(
            ErrorCode::kInvalidRequest,
            "Found unsupported HTTP method in CORS config. Unsupported method is " + method);
      }
    }
    for (const std::string& origin : rule.allowed_origins) {
      if (std::count(origin.begin(), origin.end(), '*') > 1) {
        return Status(
            ErrorCode::kInvalidRequest,
            "AllowedOrigin \"" + origin + "\" can not have more than one wildcard." + where);
      }
    }
    // Origins, headers and exposed headers are sent back in Access-Control-* headers.
    for (const auto* list : {&rule.allowed_origins, &rule.allowed_headers, &rule.expose_headers}) {
      for (const std::string& value : *list) {
        const Status s =
            CheckHeaderValue("AllowedOrigin, AllowedHeader or ExposeHeader" + where, value);
        if (!s.ok()) return s;
      }
    }
    for (const std::string& header : rule.allowed_headers) {
      if (std::count(header.begin(), header.end(), '*') > 1) {
        return Status(
            ErrorCode::kInvalidRequest,
            "AllowedHeader \"" + header + "\" can not have more than one wildcard." + where);
      }
    }
  }
  return Status::Ok();
}

// {"rules":[{"id":..,"allowed_origins":[..],"allowed_methods":[..],"allowed_headers":[..],
//   "expose_headers":[..],"max_age_seconds":N}]}. Empty lists and an absent max age are left out;
// decoding ignores keys it does not know, as for lifecycle rules.
std::string EncodeCors(const CorsConfiguration& config) {
  json rules = json::array();
  for (const CorsRule& rule : config.rules) {
    json r = {{"id", rule.id},
              {"allowed_origins", rule.allowed_origins},
              {"allowed_methods", rule.allowed_methods}};
    if (!rule.allowed_headers.empty()) r["allowed_headers"] = rule.allowed_headers;
    if (!rule.expose_headers.empty()) r["expose_headers"] = rule.expose_headers;
    if (rule.max_age_seconds) r["max_age_seconds"] = *rule.max_age_seconds;
    rules.push_back(std::move(r));
  }
  // XML bodies reach here as UTF-8; the replacing handler only keeps dump() from throwing.
  return json{{"rules", std::move(rules)}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<CorsConfiguration> DecodeCors(std::string_view text) {
  try {
    const json doc = json::parse(text);
    CorsConfiguration config;
    for (const json& r : doc.at("rules")) {
      CorsRule rule;
      rule.id = r.value("id", "");
      rule.allowed_origins = StringList(r, "allowed_origins");
      rule.allowed_methods = StringList(r, "allowed_methods");
      rule.allowed_headers = StringList(r, "allowed_headers");
      rule.expose_headers = StringList(r, "expose_headers");
      if (r.contains("max_age_seconds")) {
        // get<uint32_t>() would wrap -1 or 2^40; a stored age must be what was written.
        const json& age = r["max_age_seconds"];
        if (!age.is_number_unsigned() || age.get<uint64_t>() > UINT32_MAX) {
          throw std::invalid_argument("max_age_seconds must be an unsigned 32-bit integer");
        }
        rule.max_age_seconds = static_cast<uint32_t>(age.get<uint64_t>());
      }
      config.rules.push_back(std::move(rule));
    }
    return config;
  } catch (const std::exception& e) {
    return Error(ErrorCode::kInternalError,
                 std::string("stored CORS configuration does not parse: ") + e.what());
  }
}

// User guide, "How does Amazon S3 evaluate the CORS configuration on a bucket?": rules are tried
// in order and the first that matches the Origin, the method (Access-Control-Request-Method for
// a preflight) and every header of Access-Control-Request-Headers is used. A rule whose origin is
// "*" answers "*"; any other answers with the request's own Origin, which is what lets a browser
// send credentials.
std::optional<CorsHeaders> MatchCors(const CorsConfiguration& config, std::string_view origin,
                                     std::string_view method, std::string_view request_headers) {
  if (origin.empty() || method.empty()) return std::nullopt;
  const std::vector<std::string> requested = SplitHeaderList(request_headers);
  for (const CorsRule& rule : config.rules) {
    bool any_origin = false;
    if (!OriginAllowed(rule, origin, &any_origin)) continue;
    if (std::find(rule.allowed_methods.begin(), rule.allowed_methods.end(), method) ==
        rule.allowed_methods.end()) {
      continue;
    }
    if (!std::all_of(requested.begin(), requested.end(),
                     [&](const std::string& h) { return HeaderAllowed(rule, h); })) {
      continue;
    }
    CorsHeaders headers;
    headers.allow_origin = any_origin ? "*" : std::string(origin);
    headers.allow_methods = Join(rule.allowed_methods);
    headers.allow_headers = Join(requested);
    headers.expose_headers = Join(rule.expose_headers);
    headers.max_age_seconds = rule.max_age_seconds;
    // As S3: a rule that names origins (rather than "*") lets the page send credentials.
    headers.allow_credentials = !any_origin;
    return headers;
  }
  return std::nullopt;
}

CorsHeaders ConsoleCors(std::string_view origin, std::string_view request_headers) {
  CorsHeaders headers;
  headers.allow_origin = std::string(origin);
  headers.allow_methods = "GET, HEAD, PUT, POST, DELETE";
  headers.allow_headers = Join(SplitHeaderList(request_headers));
  // "*" exposes every header to a request without credentials (Fetch standard); ETag is named
  // too for clients that predate the wildcard.
  headers.expose_headers = "*, ETag";
  headers.max_age_seconds = 600;
  headers.allow_credentials = false;
  return headers;
}

}  // namespace cairn::core
