#include "s3/r2_binding/binding_records.h"

#include <nlohmann/json.hpp>

#include "common/encoding.h"
#include "common/hashing.h"
#include "common/time_format.h"

namespace cairn::s3::binding {
namespace {

using Json = nlohmann::json;

std::string Dump(const Json& doc) {
  return doc.dump(-1, ' ', /*ensure_ascii=*/true, Json::error_handler_t::replace);
}

int64_t Millis(TimePoint t) { return t.time_since_epoch().count(); }

// R2 gives every write a version id; cairn keeps one object per key, so the id is derived from
// what identifies this write of it: the key, the ETag and the time it was written.
std::string VersionOf(const core::ObjectRecord& o) {
  std::string identity = o.bucket;
  identity.append(1, '\0').append(o.key).append(1, '\0').append(o.etag).append(1, '\0');
  identity.append(std::to_string(Millis(o.last_modified)));
  return HexEncode(Sha256(identity).substr(0, 16));
}

Json HttpFieldsOf(const core::HttpMetadata& http) {
  Json fields = Json::object();
  for (auto [name, member] :
       {std::pair{"contentType", &core::HttpMetadata::content_type},
        std::pair{"contentLanguage", &core::HttpMetadata::content_language},
        std::pair{"contentDisposition", &core::HttpMetadata::content_disposition},
        std::pair{"contentEncoding", &core::HttpMetadata::content_encoding},
        std::pair{"cacheControl", &core::HttpMetadata::cache_control}}) {
    if (!(http.*member).empty()) fields[name] = http.*member;
  }
  // Expires is kept as the client sent it (S3 returns it verbatim): the binding's cacheExpiry
  // when it is an HTTP date.
  if (auto expires = ParseHttpDate(http.expires)) fields["cacheExpiry"] = Millis(*expires);
  return fields;
}

// The binding's checksums: "0" MD5, "1" SHA-1, "2" SHA-256 (hex; r2-api.capnp's R2Checksums).
// An object's MD5 is its ETag when that is one MD5 (a multipart ETag is not).
Json ChecksumsOf(const core::ObjectRecord& o) {
  Json sums = Json::object();
  if (o.etag.size() == 32 && o.etag.find('-') == std::string::npos) sums["0"] = o.etag;
  for (auto [stored, slot] : {std::pair{"SHA1", "1"}, std::pair{"SHA256", "2"}}) {
    auto it = o.checksums.find(stored);
    if (it == o.checksums.end()) continue;
    if (auto raw = Base64Decode(it->second)) sums[slot] = HexEncode(*raw);
  }
  return sums;
}

Json ObjectJson(const core::ObjectRecord& o, const RecordParts& parts) {
  Json doc = {{"name", o.key},
              {"version", VersionOf(o)},
              {"size", o.size},
              {"etag", o.etag},
              {"uploaded", Millis(o.last_modified)},
              {"checksums", ChecksumsOf(o)},
              {"storageClass", BindingStorageClass(o.storage_class)}};
  for (const auto& [slot, hex] : parts.checksums) doc["checksums"][slot] = hex;
  doc["httpFields"] = parts.http ? HttpFieldsOf(o.http) : Json::object();
  Json custom = Json::array();
  if (parts.custom) {
    for (const auto& [name, value] : o.user_metadata) custom.push_back({{"k", name}, {"v", value}});
  }
  doc["customFields"] = std::move(custom);
  if (parts.range) {
    doc["range"] = {{"offset", parts.range->offset}, {"length", parts.range->length}};
  }
  return doc;
}

}  // namespace

std::string BindingStorageClass(std::string_view stored) {
  if (stored == "STANDARD_IA") return "InfrequentAccess";
  if (stored == "STANDARD" || stored.empty()) return "Standard";
  return std::string(stored);
}

std::string RenderObject(const core::ObjectRecord& object, const RecordParts& parts) {
  return Dump(ObjectJson(object, parts));
}

std::string RenderList(const core::ListPage& page, bool include_http, bool include_custom,
                       size_t max_bytes) {
  RecordParts parts;
  parts.http = include_http;
  parts.custom = include_custom;
  // The envelope's own bytes, with room for a cursor of the longest key (base64 of 1 KiB).
  constexpr size_t kEnvelope = 128 + 1400 * 6;
  std::string objects;
  std::string prefixes;
  size_t used = kEnvelope;
  bool cut = false;
  std::string last;
  // Objects and prefixes in key order, as one sequence, so that a cut leaves a cursor that
  // resumes exactly after what was sent.
  auto object = page.objects.begin();
  auto prefix = page.common_prefixes.begin();
  while (object != page.objects.end() || prefix != page.common_prefixes.end()) {
    const bool take_object = prefix == page.common_prefixes.end() ||
                             (object != page.objects.end() && object->key < *prefix);
    std::string entry = take_object ? Dump(ObjectJson(*object, parts)) : Dump(Json(*prefix));
    if (used + entry.size() + 1 > max_bytes) {
      cut = true;
      break;
    }
    used += entry.size() + 1;
    std::string& into = take_object ? objects : prefixes;
    if (!into.empty()) into += ',';
    into += entry;
    last = take_object ? (object++)->key : *prefix++;
  }
  const bool truncated = cut || page.truncated;
  std::string out =
      "{\"objects\":[" + objects + "],\"truncated\":" + (truncated ? "true" : "false");
  if (truncated) {
    out += ",\"cursor\":" + Dump(Json(Base64Encode(cut ? last : page.next_marker)));
  }
  out += ",\"delimitedPrefixes\":[" + prefixes + "]}";
  return out;
}

}  // namespace cairn::s3::binding
