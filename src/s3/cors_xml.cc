// The CORSConfiguration document of PutBucketCors and GetBucketCors (Amazon S3 API reference; the
// CORSConfiguration and CORSRule data types): ID, AllowedHeader*, AllowedMethod*, AllowedOrigin*,
// ExposeHeader* and MaxAgeSeconds per rule. The XML side only reads and writes the document; what
// a rule may contain is core::ValidateCors's to decide, so one set of rules holds for every caller.
#include <pugixml.hpp>

#include "s3/xml.h"
#include "s3/xml_writer.h"

namespace cairn::s3 {
namespace {

using xml_internal::Add;
using xml_internal::Document;
using xml_internal::LocalName;
using xml_internal::Malformed;
using xml_internal::ParseItemList;
using xml_internal::TextOf;
using xml_internal::TrimXmlSpace;

Result<std::string> Text(pugi::xml_node node) {
  std::optional<std::string> text = TextOf(node);
  if (!text) return Malformed(std::string(LocalName(node)) + " contains elements");
  return *std::move(text);
}

// MaxAgeSeconds is xsd:int; anything but a non-negative integer fails the schema.
Result<uint32_t> ParseMaxAge(pugi::xml_node node) {
  Result<std::string> text = Text(node);
  if (!text.ok()) return text.error();
  std::string_view digits = TrimXmlSpace(*text);
  if (digits.starts_with('+')) digits.remove_prefix(1);
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return Malformed("MaxAgeSeconds must be a non-negative integer");
  }
  uint64_t n = 0;
  for (char c : digits) {
    n = n * 10 + static_cast<uint64_t>(c - '0');
    if (n > INT32_MAX) return Malformed("MaxAgeSeconds is too large");
  }
  return static_cast<uint32_t>(n);
}

Result<core::CorsRule> ParseRule(pugi::xml_node node) {
  core::CorsRule rule;
  bool has_id = false;
  for (pugi::xml_node field : node.children()) {
    if (field.type() != pugi::node_element) continue;  // text between elements is layout
    const std::string_view name = LocalName(field);
    if (name == "MaxAgeSeconds" && !rule.max_age_seconds) {
      Result<uint32_t> age = ParseMaxAge(field);
      if (!age.ok()) return age.error();
      rule.max_age_seconds = *age;
      continue;
    }
    Result<std::string> text = Text(field);
    if (!text.ok()) return text.error();
    if (name == "ID" && !has_id) {
      rule.id = *std::move(text);
      has_id = true;
    } else if (name == "AllowedOrigin") {
      rule.allowed_origins.emplace_back(TrimXmlSpace(*text));
    } else if (name == "AllowedMethod") {
      rule.allowed_methods.emplace_back(TrimXmlSpace(*text));
    } else if (name == "AllowedHeader") {
      rule.allowed_headers.emplace_back(TrimXmlSpace(*text));
    } else if (name == "ExposeHeader") {
      rule.expose_headers.emplace_back(TrimXmlSpace(*text));
    } else {
      return Malformed("unexpected or repeated " + std::string(name) + " in CORSRule");
    }
  }
  return rule;
}

}  // namespace

Result<core::CorsConfiguration> ParseCorsConfiguration(std::string_view xml) {
  auto rules = ParseItemList<core::CorsRule>(xml, "CORSConfiguration", "CORSRule", ParseRule);
  if (!rules.ok()) return rules.error();
  core::CorsConfiguration config{std::move(*rules)};
  if (Status valid = core::ValidateCors(config); !valid.ok()) return valid.error();
  return config;
}

// GetBucketCors: the rule's members with ID first, then in the order the CORSRule data type lists
// them. SDKs read the members by name, so the order is only for people reading the body.
std::string RenderCorsConfiguration(const core::CorsConfiguration& config) {
  Document doc("CORSConfiguration", /*s3_namespace=*/true);
  for (const core::CorsRule& rule : config.rules) {
    pugi::xml_node node = doc.root().append_child("CORSRule");
    if (!rule.id.empty()) Add(node, "ID", rule.id);
    for (const std::string& h : rule.allowed_headers) Add(node, "AllowedHeader", h);
    for (const std::string& m : rule.allowed_methods) Add(node, "AllowedMethod", m);
    for (const std::string& o : rule.allowed_origins) Add(node, "AllowedOrigin", o);
    for (const std::string& e : rule.expose_headers) Add(node, "ExposeHeader", e);
    if (rule.max_age_seconds) Add(node, "MaxAgeSeconds", uint64_t{*rule.max_age_seconds});
  }
  return doc.Finish();
}

}  // namespace cairn::s3
