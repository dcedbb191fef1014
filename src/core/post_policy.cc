// POST policy rules from the Amazon S3 API reference, "Creating a POST Policy" (Signature Version
// 4): the condition forms, case-insensitive field names and case-sensitive values, the Content-Type
// list rule of starts-with, and "each form field that you specify in a form (except
// x-amz-signature, file, policy, and field names that have an x-ignore- prefix) must appear in the
// list of conditions"; a Signature Version 2 form ("HTML forms (AWS signature version 2)") has
// AWSAccessKeyId and signature in place of x-amz-signature. Error messages are S3's.
#include "core/post_policy.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/ascii.h"
#include "common/encoding.h"

namespace cairn::core {
namespace {

using Json = nlohmann::json;

Error Invalid(std::string_view why) {
  return Error(ErrorCode::kInvalidPolicyDocument, "Invalid Policy: " + std::string(why));
}

Error Denied(std::string_view why) {
  return Error(ErrorCode::kAccessDenied, "Invalid according to Policy: " + std::string(why));
}

// A JSON string literal, as S3 quotes condition values in its messages.
std::string Quote(std::string_view s) {
  return Json(std::string(s)).dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string ConditionText(std::string_view op, std::string_view dollar_field,
                          std::string_view value) {
  std::string text(1, '[');
  text.append(Quote(op)).append(", ").append(Quote(dollar_field)).append(", ");
  text.append(Quote(value)).push_back(']');
  return text;
}

// content-length-range bounds: JSON integers (S3 refuses 512.0) or strings of digits.
std::optional<uint64_t> LengthBound(const Json& j) {
  if (j.is_number_unsigned()) return j.get<uint64_t>();
  if (j.is_number_integer()) {
    const int64_t v = j.get<int64_t>();
    if (v >= 0) return static_cast<uint64_t>(v);
    return std::nullopt;
  }
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    if (s.empty() || s.size() > 19 ||
        !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::nullopt;
    }
    return std::stoull(s);
  }
  return std::nullopt;
}

Result<PolicyCondition> ParseSimpleCondition(const Json& object) {
  if (object.size() != 1) {
    return Invalid(
        "Invalid Simple-Condition: Simple-Conditions must have exactly one property "
        "specified.");
  }
  const auto member = object.begin();
  const std::string& name = member.key();
  const Json& value = member.value();
  if (!value.is_string()) {
    return Invalid("Invalid Simple-Condition: the value of \"" + name + "\" must be a string.");
  }
  PolicyCondition c;
  c.field = AsciiLowercase(name);
  c.value = value.get<std::string>();
  c.text = ConditionText("eq", "$" + name, c.value);
  return c;
}

Result<PolicyCondition> ParseArrayCondition(const Json& array) {
  if (array.empty() || !array[0].is_string()) {
    return Invalid("Invalid Condition: a condition must start with an operation name.");
  }
  const std::string op = AsciiLowercase(array[0].get<std::string>());
  PolicyCondition c;
  if (op == "content-length-range") {
    std::optional<uint64_t> min, max;
    if (array.size() == 3) {
      min = LengthBound(array[1]);
      max = LengthBound(array[2]);
    }
    if (!min || !max) {
      return Invalid(
          "Invalid content-length-range: it takes a minimum and a maximum, both "
          "non-negative integers.");
    }
    c.kind = PolicyCondition::Kind::kContentLengthRange;
    c.field = op;
    c.min = *min;
    c.max = *max;
    c.text =
        "[\"content-length-range\", " + std::to_string(*min) + ", " + std::to_string(*max) + "]";
    return c;
  }
  if (op != "eq" && op != "starts-with") {
    return Invalid("Invalid Condition: unknown operation \"" + array[0].get<std::string>() +
                   "\" (use eq, starts-with or content-length-range).");
  }
  if (array.size() != 3 || !array[1].is_string() || !array[2].is_string()) {
    return Invalid("Invalid Condition: [\"" + op +
                   "\", \"$field\", \"value\"] takes three strings.");
  }
  const std::string& dollar_field = array[1].get_ref<const std::string&>();
  if (dollar_field.size() < 2 || dollar_field.front() != '$') {
    return Invalid("Invalid Condition: the field name \"" + dollar_field +
                   "\" must start with '$'.");
  }
  c.kind = op == "eq" ? PolicyCondition::Kind::kEq : PolicyCondition::Kind::kStartsWith;
  c.field = AsciiLowercase(std::string_view(dollar_field).substr(1));
  c.value = array[2].get<std::string>();
  c.text = ConditionText(op, dollar_field, c.value);
  return c;
}

// Base64 as some encoders write it, in lines (Ruby's encode64): the line breaks are not data.
std::string WithoutWhiteSpace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != '\r' && c != '\n' && c != ' ' && c != '\t') out.push_back(c);
  }
  return out;
}

std::string_view ValueOf(const FormFields& fields, std::string_view name) {
  for (const auto& [field, value] : fields) {
    if (field == name) return value;
  }
  return {};
}

bool StartsWithCondition(const PolicyCondition& c, std::string_view value) {
  if (c.field != "content-type") return value.starts_with(c.value);
  // "Content-Type ... can be a comma-separated list of values": each must start with the prefix.
  size_t start = 0;
  for (;;) {
    const size_t comma = value.find(',', start);
    const std::string_view item = TrimOws(value.substr(start, comma - start));
    if (!item.starts_with(c.value)) return false;
    if (comma == std::string_view::npos) return true;
    start = comma + 1;
  }
}

}  // namespace

Result<PostPolicy> ParsePostPolicy(std::string_view policy_base64) {
  std::optional<std::string> text = Base64Decode(WithoutWhiteSpace(policy_base64));
  if (!text) return Invalid("Invalid Base64 Encoding.");
  const Json doc = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return Invalid("Invalid JSON.");

  PostPolicy policy;
  auto expiration = doc.find("expiration");
  if (expiration == doc.end()) return Invalid("Policy missing expiration.");
  std::optional<TimePoint> when;
  if (expiration->is_string()) when = ParseIso8601(expiration->get<std::string>());
  if (!when) {
    // A number or word is quoted back; an array or object only named: dump() recurses as deep
    // as the document nests, and a policy can nest deeper than the stack.
    const std::string value = expiration->is_string() ? "'" + expiration->get<std::string>() + "'"
                              : expiration->is_primitive() ? "'" + expiration->dump() + "'"
                              : expiration->is_array()     ? std::string("an array")
                                                           : std::string("an object");
    return Invalid("Invalid 'expiration' value: " + value +
                   " (use ISO 8601, e.g. 2026-01-01T12:00:00.000Z).");
  }
  policy.expiration = *when;

  auto conditions = doc.find("conditions");
  if (conditions == doc.end()) return Invalid("Policy missing conditions.");
  if (!conditions->is_array()) return Invalid("Invalid 'conditions' value: it must be a list.");
  for (const Json& item : *conditions) {
    Result<PolicyCondition> c =
        item.is_object() ? ParseSimpleCondition(item)
        : item.is_array()
            ? ParseArrayCondition(item)
            : Result<PolicyCondition>(Invalid("Invalid Condition: a condition must be "
                                              "an object or a list."));
    if (!c.ok()) return c.error();
    policy.conditions.push_back(std::move(*c));
  }
  return policy;
}

bool IsExemptFromPolicy(std::string_view name) {
  return name == "x-amz-signature" || name == "file" || name == "policy" ||
         name.starts_with("x-ignore-") || name == "awsaccesskeyid" || name == "signature";
}

Result<ContentLengthRange> CheckPostPolicy(const PostPolicy& policy, const FormFields& fields,
                                           std::string_view bucket, TimePoint now) {
  if (now >= policy.expiration) return Denied("Policy expired.");

  std::vector<std::string_view> extra;
  for (const auto& field : fields) {
    const std::string& name = field.first;
    if (IsExemptFromPolicy(name)) continue;
    const bool covered = std::any_of(
        policy.conditions.begin(), policy.conditions.end(), [&name](const PolicyCondition& c) {
          return c.kind != PolicyCondition::Kind::kContentLengthRange && c.field == name;
        });
    if (!covered && std::find(extra.begin(), extra.end(), name) == extra.end()) {
      extra.push_back(name);
    }
  }
  if (!extra.empty()) {
    std::string list;
    for (std::string_view name : extra) {
      if (!list.empty()) list += ", ";
      list += name;
    }
    return Denied("Extra input fields: " + list);
  }

  ContentLengthRange range;
  for (const PolicyCondition& c : policy.conditions) {
    if (c.kind == PolicyCondition::Kind::kContentLengthRange) {
      range.min = std::max(range.min, c.min);
      range.max = std::min(range.max, c.max);
      continue;
    }
    const std::string_view value = c.field == "bucket" ? bucket : ValueOf(fields, c.field);
    const bool holds =
        c.kind == PolicyCondition::Kind::kEq ? value == c.value : StartsWithCondition(c, value);
    if (!holds) return Denied("Policy Condition failed: " + c.text);
  }
  return range;
}

Status CheckContentLength(const ContentLengthRange& range, uint64_t size, bool complete) {
  if (size > range.max) {
    return Status(ErrorCode::kEntityTooLarge,
                  "Your proposed upload exceeds the maximum allowed size: more than " +
                      std::to_string(range.max) + " bytes (the policy's content-length-range).");
  }
  if (complete && size < range.min) {
    return Status(ErrorCode::kEntityTooSmall,
                  "Your proposed upload is smaller than the minimum allowed size: " +
                      std::to_string(size) + " bytes, at least " + std::to_string(range.min) +
                      " (the policy's content-length-range).");
  }
  return Status::Ok();
}

}  // namespace cairn::core
