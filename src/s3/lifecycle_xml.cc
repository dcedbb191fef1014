// The LifecycleConfiguration document of PutBucketLifecycleConfiguration and
// GetBucketLifecycleConfiguration (Amazon S3 API reference; the LifecycleRule, LifecycleRuleFilter,
// LifecycleExpiration, Transition, NoncurrentVersionExpiration, NoncurrentVersionTransition and
// AbortIncompleteMultipartUpload data types), limited to what R2 supports: a prefix filter,
// expiration, transition to STANDARD_IA and the abort of incomplete uploads. The versioning-era
// actions (noncurrent versions, ExpiredObjectDeleteMarker) are kept and returned: on a bucket
// without versioning they have nothing to act on, on S3 as on cairn. Filters cairn cannot honour
// (tags, object sizes) are refused with NotImplemented rather than stored and ignored, so a client
// never believes a rule is in force when it is not.
#include <pugixml.hpp>

#include "common/time_format.h"
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

Error Unsupported(std::string_view what) {
  return Error(ErrorCode::kNotImplemented,
               "cairn does not support " + std::string(what) + " in lifecycle rules");
}

// The element children of `node`; text between them is layout.
std::vector<pugi::xml_node> Elements(pugi::xml_node node) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element) out.push_back(child);
  }
  return out;
}

Result<std::string> Text(pugi::xml_node node) {
  std::optional<std::string> text = TextOf(node);
  if (!text) return Malformed(std::string(LocalName(node)) + " contains elements");
  return *std::move(text);
}

// Days, DaysAfterInitiation, NoncurrentDays and NewerNoncurrentVersions are xsd:int. A value that
// is not an integer fails the schema (MalformedXML); one that is but is not positive is S3's
// InvalidArgument. Zero is passed on so that ValidateLifecycle reports it with the action's name.
Result<uint32_t> ParseDays(pugi::xml_node node) {
  Result<std::string> text = Text(node);
  if (!text.ok()) return text.error();
  std::string_view digits = TrimXmlSpace(*text);
  const bool negative = digits.starts_with('-');
  if (negative || digits.starts_with('+')) digits.remove_prefix(1);
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return Malformed(std::string(LocalName(node)) + " must be an integer");
  }
  uint64_t n = 0;
  for (char c : digits) {
    n = n * 10 + static_cast<uint64_t>(c - '0');
    if (n > UINT32_MAX) break;
  }
  if ((negative && n != 0) || n > UINT32_MAX) {
    return Error(ErrorCode::kInvalidArgument,
                 "'" + std::string(LocalName(node)) + "' must be a positive integer");
  }
  return static_cast<uint32_t>(n);
}

// ISO 8601, as SDKs send it ("2030-01-01T00:00:00Z", with or without fractions); a bare date is
// taken as its midnight UTC. ValidateLifecycle checks that it is a midnight.
Result<TimePoint> ParseDate(pugi::xml_node node) {
  Result<std::string> text = Text(node);
  if (!text.ok()) return text.error();
  std::string value(TrimXmlSpace(*text));
  if (value.size() == 10) value += "T00:00:00Z";
  std::optional<TimePoint> t = ParseIso8601(value);
  if (!t) return Malformed("Date must be an ISO 8601 date");
  return *t;
}

// "true" or "false" (xsd:boolean's words; S3 writes them so).
Result<bool> ParseBoolean(pugi::xml_node node) {
  Result<std::string> text = Text(node);
  if (!text.ok()) return text.error();
  const std::string_view value = TrimXmlSpace(*text);
  if (value != "true" && value != "false") {
    return Malformed(std::string(LocalName(node)) + " must be true or false");
  }
  return value == "true";
}

// Days or Date (and, for a Transition, StorageClass; for an Expiration, instead of either,
// ExpiredObjectDeleteMarker) into the rule's fields. `delete_marker` is null for a Transition.
Status ParseTimedAction(pugi::xml_node action, std::optional<uint32_t>* days,
                        std::optional<TimePoint>* date, std::string* storage_class,
                        std::optional<bool>* delete_marker) {
  bool has_class = false;
  for (pugi::xml_node field : Elements(action)) {
    const std::string_view name = LocalName(field);
    if (name == "Days" && !*days) {
      Result<uint32_t> n = ParseDays(field);
      if (!n.ok()) return n.error();
      *days = *n;
    } else if (name == "Date" && !*date) {
      Result<TimePoint> t = ParseDate(field);
      if (!t.ok()) return t.error();
      *date = *t;
    } else if (name == "StorageClass" && storage_class != nullptr && !has_class) {
      Result<std::string> text = Text(field);
      if (!text.ok()) return text.error();
      *storage_class = std::string(TrimXmlSpace(*text));
      has_class = true;
    } else if (name == "ExpiredObjectDeleteMarker" && delete_marker != nullptr && !*delete_marker) {
      Result<bool> marker = ParseBoolean(field);
      if (!marker.ok()) return marker.error();
      *delete_marker = *marker;
    } else {
      return Malformed("unexpected " + std::string(name) + " in " + std::string(LocalName(action)));
    }
  }
  if (!*days && !*date && !(delete_marker != nullptr && *delete_marker)) {
    return Malformed(std::string(LocalName(action)) + " needs Days or Date");
  }
  if (storage_class != nullptr && !has_class) return Malformed("Transition needs a StorageClass");
  return Status::Ok();
}

// NoncurrentVersionExpiration (NoncurrentDays, NewerNoncurrentVersions) or, with `transition`,
// NoncurrentVersionTransition (the same and StorageClass).
Result<core::NoncurrentAction> ParseNoncurrent(pugi::xml_node node, bool transition) {
  core::NoncurrentAction action;
  bool has_days = false, has_class = false;
  for (pugi::xml_node field : Elements(node)) {
    const std::string_view name = LocalName(field);
    if (name == "NoncurrentDays" && !has_days) {
      Result<uint32_t> n = ParseDays(field);
      if (!n.ok()) return n.error();
      action.noncurrent_days = *n;
      has_days = true;
    } else if (name == "NewerNoncurrentVersions" && !action.newer_noncurrent_versions) {
      Result<uint32_t> n = ParseDays(field);  // a count, with the same rules
      if (!n.ok()) return n.error();
      action.newer_noncurrent_versions = *n;
    } else if (name == "StorageClass" && transition && !has_class) {
      Result<std::string> text = Text(field);
      if (!text.ok()) return text.error();
      action.storage_class = std::string(TrimXmlSpace(*text));
      has_class = true;
    } else {
      return Malformed("unexpected or repeated " + std::string(name) + " in " +
                       std::string(LocalName(node)));
    }
  }
  if (!has_days) return Malformed(std::string(LocalName(node)) + " needs NoncurrentDays");
  if (transition && !has_class)
    return Malformed("NoncurrentVersionTransition needs a StorageClass");
  return action;
}

// <Filter></Filter> matches every key; <Filter><Prefix>p</Prefix></Filter> the keys under p.
Status ParseFilter(pugi::xml_node filter, core::LifecycleRule* rule) {
  const std::vector<pugi::xml_node> fields = Elements(filter);
  if (fields.size() > 1) return Malformed("a Filter takes one condition; use And to combine");
  for (pugi::xml_node field : fields) {
    const std::string_view name = LocalName(field);
    if (name == "Prefix") {
      Result<std::string> text = Text(field);
      if (!text.ok()) return text.error();
      rule->prefix = *std::move(text);
    } else if (name == "Tag" || name == "And") {
      return Unsupported("a Filter with " + std::string(name) + " (objects have no tags)");
    } else if (name == "ObjectSizeGreaterThan" || name == "ObjectSizeLessThan") {
      return Unsupported("a Filter on " + std::string(name));
    } else {
      return Malformed("unexpected " + std::string(name) + " in Filter");
    }
  }
  return Status::Ok();
}

Result<core::LifecycleRule> ParseRule(pugi::xml_node node) {
  core::LifecycleRule rule;
  bool has_id = false, has_status = false, has_filter = false, has_expiration = false,
       has_transition = false;
  for (pugi::xml_node field : Elements(node)) {
    const std::string_view name = LocalName(field);
    Status status;
    if (name == "ID" && !has_id) {
      Result<std::string> text = Text(field);
      if (!text.ok()) return text.error();
      rule.id = *std::move(text);
      has_id = true;
    } else if (name == "Status" && !has_status) {
      Result<std::string> text = Text(field);
      if (!text.ok()) return text.error();
      const std::string_view value = TrimXmlSpace(*text);
      if (value != "Enabled" && value != "Disabled") {
        return Malformed("Status must be Enabled or Disabled");
      }
      rule.enabled = value == "Enabled";
      has_status = true;
    } else if (name == "Filter" && !has_filter && !rule.legacy_prefix) {
      status = ParseFilter(field, &rule);
      has_filter = true;
    } else if (name == "Prefix" && !has_filter && !rule.legacy_prefix) {
      // The pre-2018 form: a Prefix directly in the Rule.
      Result<std::string> text = Text(field);
      if (!text.ok()) return text.error();
      rule.prefix = *std::move(text);
      rule.legacy_prefix = true;
    } else if (name == "Expiration" && !has_expiration) {
      status = ParseTimedAction(field, &rule.expiration_days, &rule.expiration_date, nullptr,
                                &rule.expired_object_delete_marker);
      has_expiration = true;
    } else if (name == "Transition" && !has_transition) {
      status = ParseTimedAction(field, &rule.transition_days, &rule.transition_date,
                                &rule.transition_storage_class, nullptr);
      has_transition = true;
    } else if (name == "Transition") {
      // S3 allows one Transition per storage class; R2 has one class to move to.
      return Error(ErrorCode::kInvalidArgument,
                   "A rule can have one Transition: STANDARD_IA is the only class to move to");
    } else if (name == "AbortIncompleteMultipartUpload" && !rule.abort_incomplete_days) {
      const std::vector<pugi::xml_node> fields = Elements(field);
      if (fields.size() != 1 || LocalName(fields[0]) != "DaysAfterInitiation") {
        return Malformed("AbortIncompleteMultipartUpload takes DaysAfterInitiation");
      }
      Result<uint32_t> days = ParseDays(fields[0]);
      if (!days.ok()) return days.error();
      rule.abort_incomplete_days = *days;
    } else if (name == "NoncurrentVersionExpiration" && !rule.noncurrent_expiration) {
      Result<core::NoncurrentAction> action = ParseNoncurrent(field, /*transition=*/false);
      if (!action.ok()) return action.error();
      rule.noncurrent_expiration = *std::move(action);
    } else if (name == "NoncurrentVersionTransition") {
      Result<core::NoncurrentAction> action = ParseNoncurrent(field, /*transition=*/true);
      if (!action.ok()) return action.error();
      rule.noncurrent_transitions.push_back(*std::move(action));
    } else {
      return Malformed("unexpected or repeated " + std::string(name) + " in Rule");
    }
    if (!status.ok()) return status.error();
  }
  if (!has_status) return Malformed("a Rule needs a Status");
  if (!has_filter && !rule.legacy_prefix) return Malformed("a Rule needs a Filter or a Prefix");
  return rule;
}

pugi::xml_node AddTimedAction(pugi::xml_node parent, const char* element,
                              std::optional<uint32_t> days, std::optional<TimePoint> date,
                              const std::string* storage_class) {
  pugi::xml_node node = parent.append_child(element);
  if (days) Add(node, "Days", *days);
  if (date) Add(node, "Date", FormatIso8601(*date));
  if (storage_class != nullptr) Add(node, "StorageClass", *storage_class);
  return node;
}

// Members in the order of the data types: NoncurrentDays, StorageClass, NewerNoncurrentVersions.
void AddNoncurrent(pugi::xml_node parent, const char* element,
                   const core::NoncurrentAction& action) {
  pugi::xml_node node = parent.append_child(element);
  Add(node, "NoncurrentDays", action.noncurrent_days);
  if (!action.storage_class.empty()) Add(node, "StorageClass", action.storage_class);
  if (action.newer_noncurrent_versions) {
    Add(node, "NewerNoncurrentVersions", *action.newer_noncurrent_versions);
  }
}

}  // namespace

Result<core::LifecycleConfiguration> ParseLifecycleConfiguration(std::string_view xml) {
  auto rules = ParseItemList<core::LifecycleRule>(xml, "LifecycleConfiguration", "Rule", ParseRule);
  if (!rules.ok()) return rules.error();
  core::LifecycleConfiguration config{std::move(*rules)};
  if (Status valid = core::ValidateLifecycle(config); !valid.ok()) return valid.error();
  return config;
}

// Rule members in the order of the LifecycleRule data type as SDKs serialize it: ID, Filter or
// Prefix, Status, then the actions.
std::string RenderLifecycleConfiguration(const core::LifecycleConfiguration& config) {
  Document doc("LifecycleConfiguration", /*s3_namespace=*/true);
  for (const core::LifecycleRule& rule : config.rules) {
    pugi::xml_node node = doc.root().append_child("Rule");
    if (!rule.id.empty()) Add(node, "ID", rule.id);
    if (rule.legacy_prefix) {
      Add(node, "Prefix", rule.prefix);
    } else {
      pugi::xml_node filter = node.append_child("Filter");
      if (!rule.prefix.empty()) Add(filter, "Prefix", rule.prefix);
    }
    Add(node, "Status", rule.enabled ? "Enabled" : "Disabled");
    if (rule.expiration_days || rule.expiration_date || rule.expired_object_delete_marker) {
      pugi::xml_node expiration =
          AddTimedAction(node, "Expiration", rule.expiration_days, rule.expiration_date, nullptr);
      if (rule.expired_object_delete_marker) {
        Add(expiration, "ExpiredObjectDeleteMarker",
            *rule.expired_object_delete_marker ? "true" : "false");
      }
    }
    if (rule.transition_days || rule.transition_date) {
      AddTimedAction(node, "Transition", rule.transition_days, rule.transition_date,
                     &rule.transition_storage_class);
    }
    for (const core::NoncurrentAction& transition : rule.noncurrent_transitions) {
      AddNoncurrent(node, "NoncurrentVersionTransition", transition);
    }
    if (rule.noncurrent_expiration) {
      AddNoncurrent(node, "NoncurrentVersionExpiration", *rule.noncurrent_expiration);
    }
    if (rule.abort_incomplete_days) {
      Add(node.append_child("AbortIncompleteMultipartUpload"), "DaysAfterInitiation",
          *rule.abort_incomplete_days);
    }
  }
  return doc.Finish();
}

}  // namespace cairn::s3
