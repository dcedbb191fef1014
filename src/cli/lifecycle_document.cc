// Lifecycle rules for the command line: the schema of LifecycleConfiguration for s3_document.h,
// and R2's JSON shape (ages in seconds, storage class names of R2) converted to the AWS CLI's.
#include "cli/lifecycle_document.h"

#include "cli/errors.h"

namespace cairn::cli {
namespace {

constexpr int64_t kSecondsPerDay = 86400;

[[noreturn]] void Bad(std::string_view what, size_t rule, const std::string& message) {
  throw UsageError(std::string(what) + ": rule " + std::to_string(rule + 1) + ": " + message);
}

const Json* Member(const Json& object, const char* name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

// An R2 transition condition, {"type": "Age", "maxAge": seconds} or {"type": "Date", "date":
// ISO 8601}, as S3's {"Days": n} or {"Date": ...}. S3 counts ages in whole days.
Json ConvertCondition(const Json& transition, std::string_view what, size_t rule,
                      const char* action, bool date_allowed) {
  const Json* condition = Member(transition, "condition");
  const Json* type = condition ? Member(*condition, "type") : nullptr;
  if (type == nullptr || !type->is_string()) {
    Bad(what, rule, std::string(action) + " needs a \"condition\" with a \"type\"");
  }
  if (*type == "Age") {
    const Json* max_age = Member(*condition, "maxAge");
    if (max_age == nullptr || !max_age->is_number_integer() || max_age->get<int64_t>() <= 0 ||
        max_age->get<int64_t>() % kSecondsPerDay != 0) {
      Bad(what, rule,
          std::string(action) +
              ": \"maxAge\" must be a positive number of seconds that is a whole "
              "number of days (86400 per day): S3 lifecycle rules count in days");
    }
    return {{"Days", max_age->get<int64_t>() / kSecondsPerDay}};
  }
  if (*type == "Date" && date_allowed) {
    const Json* date = Member(*condition, "date");
    if (date == nullptr || !date->is_string()) {
      Bad(what, rule, std::string(action) + ": a Date condition needs a \"date\"");
    }
    return {{"Date", *date}};
  }
  Bad(what, rule, std::string(action) + ": unsupported condition type " + type->dump());
}

}  // namespace

const DocumentSchema& LifecycleSchema() {
  static const DocumentSchema schema{
      "LifecycleConfiguration",
      {{"Rules", "Rule"},
       {"Transitions", "Transition"},
       {"NoncurrentVersionTransitions", "NoncurrentVersionTransition"},
       {"Tags", "Tag"}},
      {"Days", "DaysAfterInitiation", "NoncurrentDays", "NewerNoncurrentVersions",
       "ObjectSizeGreaterThan", "ObjectSizeLessThan"},
      {"ExpiredObjectDeleteMarker"},
      {"Rule", "Filter", "And", "Tag", "Expiration", "Transition", "NoncurrentVersionExpiration",
       "NoncurrentVersionTransition", "AbortIncompleteMultipartUpload"},
  };
  return schema;
}

Json LifecycleFromR2Json(const Json& r2, std::string_view what) {
  const Json* rules = Member(r2, "rules");
  if (rules == nullptr || !rules->is_array()) {
    throw UsageError(std::string(what) + ": \"rules\" must be a list");
  }
  Json out = {{"Rules", Json::array()}};
  for (size_t i = 0; i < rules->size(); ++i) {
    const Json& rule = (*rules)[i];
    if (!rule.is_object()) Bad(what, i, "expected an object");
    Json converted = Json::object();
    if (const Json* id = Member(rule, "id")) converted["ID"] = *id;
    Json filter = Json::object();
    if (const Json* conditions = Member(rule, "conditions")) {
      if (const Json* prefix = Member(*conditions, "prefix")) filter["Prefix"] = *prefix;
    }
    converted["Filter"] = filter;
    const Json* enabled = Member(rule, "enabled");
    if (enabled != nullptr && !enabled->is_boolean())
      Bad(what, i, "\"enabled\" must be true or false");
    converted["Status"] = (enabled == nullptr || enabled->get<bool>()) ? "Enabled" : "Disabled";
    if (const Json* t = Member(rule, "deleteObjectsTransition")) {
      converted["Expiration"] = ConvertCondition(*t, what, i, "deleteObjectsTransition", true);
    }
    if (const Json* list = Member(rule, "storageClassTransitions")) {
      if (!list->is_array()) Bad(what, i, "\"storageClassTransitions\" must be a list");
      Json transitions = Json::array();
      for (const Json& t : *list) {
        Json transition = ConvertCondition(t, what, i, "storageClassTransitions", true);
        const Json* storage_class = Member(t, "storageClass");
        if (storage_class != nullptr && *storage_class != "InfrequentAccess") {
          Bad(what, i, "the only storage class to move to is InfrequentAccess");
        }
        transition["StorageClass"] = "STANDARD_IA";
        transitions.push_back(std::move(transition));
      }
      if (!transitions.empty()) converted["Transitions"] = std::move(transitions);
    }
    if (const Json* t = Member(rule, "abortMultipartUploadsTransition")) {
      Json age = ConvertCondition(*t, what, i, "abortMultipartUploadsTransition", false);
      converted["AbortIncompleteMultipartUpload"] = {{"DaysAfterInitiation", age["Days"]}};
    }
    out["Rules"].push_back(std::move(converted));
  }
  return out;
}

std::string LifecycleDocumentToXml(std::string_view text, std::string_view what) {
  if (LooksLikeXml(text)) return CheckXml(text, LifecycleSchema(), what);
  Json document = ParseJsonDocument(text, what);
  if (Member(document, "Rules") != nullptr) return JsonToXml(document, LifecycleSchema(), what);
  if (Member(document, "rules") != nullptr) {
    return JsonToXml(LifecycleFromR2Json(document, what), LifecycleSchema(), what);
  }
  throw UsageError(std::string(what) +
                   ": expected {\"Rules\": [...]} (AWS CLI) or {\"rules\": [...]} (R2/wrangler) "
                   "JSON, or LifecycleConfiguration XML");
}

Json LifecycleXmlToJson(std::string_view xml) { return XmlToJson(xml, LifecycleSchema()); }

}  // namespace cairn::cli
