// CORS rules for the command line: the schema of CORSConfiguration for s3_document.h and the
// conversion of R2's JSON shape to the AWS CLI's.
#include "cli/cors_document.h"

#include "cli/errors.h"

namespace cairn::cli {
namespace {

const Json* Member(const Json& object, const char* name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

}  // namespace

const DocumentSchema& CorsSchema() {
  static const DocumentSchema schema{
      "CORSConfiguration",
      {{"CORSRules", "CORSRule"},
       {"AllowedOrigins", "AllowedOrigin"},
       {"AllowedMethods", "AllowedMethod"},
       {"AllowedHeaders", "AllowedHeader"},
       {"ExposeHeaders", "ExposeHeader"}},
      {"MaxAgeSeconds"},
      {},
      {"CORSRule"},
  };
  return schema;
}

Json CorsFromR2Json(const Json& r2, std::string_view what) {
  const Json* rules = Member(r2, "rules");
  if (rules == nullptr || !rules->is_array()) {
    throw UsageError(std::string(what) + ": \"rules\" must be a list");
  }
  Json out = {{"CORSRules", Json::array()}};
  for (size_t i = 0; i < rules->size(); ++i) {
    const Json& rule = (*rules)[i];
    const Json* allowed = Member(rule, "allowed");
    if (allowed == nullptr || !allowed->is_object()) {
      throw UsageError(std::string(what) + ": rule " + std::to_string(i + 1) +
                       ": needs \"allowed\": {\"origins\": [...], \"methods\": [...]}");
    }
    Json converted = Json::object();
    if (const Json* id = Member(rule, "id")) converted["ID"] = *id;
    if (const Json* v = Member(*allowed, "origins")) converted["AllowedOrigins"] = *v;
    if (const Json* v = Member(*allowed, "methods")) converted["AllowedMethods"] = *v;
    if (const Json* v = Member(*allowed, "headers")) converted["AllowedHeaders"] = *v;
    if (const Json* v = Member(rule, "exposeHeaders")) converted["ExposeHeaders"] = *v;
    if (const Json* v = Member(rule, "maxAgeSeconds")) converted["MaxAgeSeconds"] = *v;
    out["CORSRules"].push_back(std::move(converted));
  }
  return out;
}

std::string CorsDocumentToXml(std::string_view text, std::string_view what) {
  if (LooksLikeXml(text)) return CheckXml(text, CorsSchema(), what);
  Json document = ParseJsonDocument(text, what);
  if (Member(document, "CORSRules") != nullptr) return JsonToXml(document, CorsSchema(), what);
  if (Member(document, "rules") != nullptr) {
    return JsonToXml(CorsFromR2Json(document, what), CorsSchema(), what);
  }
  throw UsageError(std::string(what) +
                   ": expected {\"CORSRules\": [...]} (AWS CLI) or {\"rules\": [...]} "
                   "(R2/wrangler) JSON, or CORSConfiguration XML");
}

Json CorsXmlToJson(std::string_view xml) { return XmlToJson(xml, CorsSchema()); }

}  // namespace cairn::cli
