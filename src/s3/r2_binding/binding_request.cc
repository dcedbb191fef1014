#include "s3/r2_binding/binding_request.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "common/encoding.h"

namespace cairn::s3::binding {
namespace {

using Json = nlohmann::json;

constexpr std::pair<std::string_view, Method> kMethods[] = {
    {"head", Method::kHead},
    {"get", Method::kGet},
    {"put", Method::kPut},
    {"list", Method::kList},
    {"delete", Method::kDelete},
    {"createMultipartUpload", Method::kCreateMultipartUpload},
    {"uploadPart", Method::kUploadPart},
    {"completeMultipartUpload", Method::kCompleteMultipartUpload},
    {"abortMultipartUpload", Method::kAbortMultipartUpload},
};

// Cap'n Proto's "unset" for a UInt64 field: all ones (docs/r2-binding-protocol.md §1.3).
constexpr uint64_t kUnset = ~uint64_t{0};

Error Invalid(std::string_view field, std::string_view should_be) {
  return Error(ErrorCode::kInvalidArgument,
               "The binding request's " + std::string(field) + " " + std::string(should_be) + ".");
}

// Reads the fields of one JSON object, each by name and type; a field of the wrong type is an
// error.
class Fields {
 public:
  Fields(const Json& object, std::string where) : object_(object), where_(std::move(where)) {}

  const Json* Find(std::string_view name) const {
    auto it = object_.find(name);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }
  std::string Name(std::string_view name) const { return where_ + std::string(name); }

  Status Text(std::string_view name, std::string& out) const {
    const Json* v = Find(name);
    if (!v) return Status::Ok();
    if (!v->is_string()) return Invalid(Name(name), "must be a string");
    out = v->get<std::string>();
    return Status::Ok();
  }
  Status Text(std::string_view name, std::optional<std::string>& out) const {
    if (!Find(name)) return Status::Ok();
    std::string text;
    if (Status s = Text(name, text); !s.ok()) return s;
    out = std::move(text);
    return Status::Ok();
  }
  // 64-bit integers arrive as decimal strings (Cap'n Proto's JSON), small ones as numbers.
  Status Unsigned(std::string_view name, std::optional<uint64_t>& out) const {
    const Json* v = Find(name);
    if (!v) return Status::Ok();
    uint64_t n = 0;
    if (v->is_number_unsigned()) {
      n = v->get<uint64_t>();
    } else if (v->is_string()) {
      const std::string& s = v->get_ref<const std::string&>();
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
      if (s.empty() || ec != std::errc() || p != s.data() + s.size()) {
        return Invalid(Name(name), "must be an unsigned integer");
      }
    } else {
      return Invalid(Name(name), "must be an unsigned integer");
    }
    if (n != kUnset) out = n;
    return Status::Ok();
  }
  Status Signed(std::string_view name, std::optional<int64_t>& out) const {
    const Json* v = Find(name);
    if (!v) return Status::Ok();
    if (!v->is_number_integer()) return Invalid(Name(name), "must be an integer");
    out = v->get<int64_t>();
    return Status::Ok();
  }
  Status Flag(std::string_view name, bool& out) const {
    const Json* v = Find(name);
    if (!v) return Status::Ok();
    if (!v->is_boolean()) return Invalid(Name(name), "must be true or false");
    out = v->get<bool>();
    return Status::Ok();
  }
  Result<const Json*> Object(std::string_view name) const {
    const Json* v = Find(name);
    if (v && !v->is_object()) return Invalid(Name(name), "must be an object");
    return v;
  }
  Result<const Json*> Array(std::string_view name) const {
    const Json* v = Find(name);
    if (v && !v->is_array()) return Invalid(Name(name), "must be an array");
    return v;
  }

 private:
  const Json& object_;
  std::string where_;
};

Result<std::vector<EtagCondition>> ReadEtags(const Fields& f, std::string_view name) {
  std::vector<EtagCondition> etags;
  Result<const Json*> list = f.Array(name);
  if (!list.ok()) return list.error();
  if (!*list) return etags;
  for (const Json& item : **list) {
    if (!item.is_object()) return Invalid(f.Name(name), "must hold objects");
    Fields e(item, f.Name(name) + ".");
    std::string type;
    EtagCondition etag;
    if (Status s = e.Text("type", type); !s.ok()) return s.error();
    if (Status s = e.Text("value", etag.value); !s.ok()) return s.error();
    if (type == "strong") {
      etag.kind = EtagCondition::Kind::kStrong;
    } else if (type == "weak") {
      etag.kind = EtagCondition::Kind::kWeak;
    } else if (type == "wildcard") {
      etag.kind = EtagCondition::Kind::kWildcard;
      etag.value.clear();
    } else {
      return Invalid(f.Name(name) + ".type", "must be strong, weak or wildcard");
    }
    etags.push_back(std::move(etag));
  }
  return etags;
}

Status ReadConditional(const Fields& f, Conditional& out) {
  Result<const Json*> only_if = f.Object("onlyIf");
  if (!only_if.ok()) return only_if.error();
  if (!*only_if) return Status::Ok();
  Fields c(**only_if, "onlyIf.");
  auto matches = ReadEtags(c, "etagMatches");
  if (!matches.ok()) return matches.error();
  auto does_not_match = ReadEtags(c, "etagDoesNotMatch");
  if (!does_not_match.ok()) return does_not_match.error();
  out.etag_matches = std::move(*matches);
  out.etag_does_not_match = std::move(*does_not_match);
  if (Status s = c.Unsigned("uploadedBefore", out.uploaded_before); !s.ok()) return s;
  if (Status s = c.Unsigned("uploadedAfter", out.uploaded_after); !s.ok()) return s;
  return c.Flag("secondsGranularity", out.seconds_granularity);
}

Status ReadHttpFields(const Fields& f, HttpFields& out) {
  Result<const Json*> http = f.Object("httpFields");
  if (!http.ok()) return http.error();
  if (!*http) return Status::Ok();
  Fields h(**http, "httpFields.");
  for (auto [name, member] : {std::pair{"contentType", &HttpFields::content_type},
                              std::pair{"contentLanguage", &HttpFields::content_language},
                              std::pair{"contentDisposition", &HttpFields::content_disposition},
                              std::pair{"contentEncoding", &HttpFields::content_encoding},
                              std::pair{"cacheControl", &HttpFields::cache_control}}) {
    if (Status s = h.Text(name, out.*member); !s.ok()) return s;
  }
  return h.Unsigned("cacheExpiry", out.cache_expiry);
}

Status ReadCustomFields(const Fields& f, std::vector<std::pair<std::string, std::string>>& out) {
  Result<const Json*> list = f.Array("customFields");
  if (!list.ok()) return list.error();
  if (!*list) return Status::Ok();
  for (const Json& item : **list) {
    if (!item.is_object()) return Invalid("customFields", "must hold objects");
    Fields kv(item, "customFields.");
    std::string name, value;
    if (Status s = kv.Text("k", name); !s.ok()) return s;
    if (Status s = kv.Text("v", value); !s.ok()) return s;
    out.emplace_back(std::move(name), std::move(value));
  }
  return Status::Ok();
}

// md5 comes base64-encoded, the SHAs hex-encoded, whatever the caller gave (§2.5).
Status ReadDigest(const Fields& f, std::optional<PromisedDigest>& out) {
  using Algorithm = PromisedDigest::Algorithm;
  constexpr std::tuple<std::string_view, Algorithm, size_t> kDigests[] = {
      {"md5", Algorithm::kMd5, 16},       {"sha1", Algorithm::kSha1, 20},
      {"sha256", Algorithm::kSha256, 32}, {"sha384", Algorithm::kSha384, 48},
      {"sha512", Algorithm::kSha512, 64},
  };
  for (const auto& [name, algorithm, size] : kDigests) {
    std::optional<std::string> text;
    if (Status s = f.Text(name, text); !s.ok()) return s;
    if (!text) continue;
    if (out) return Invalid("checksums", "must name one algorithm at most");
    std::optional<std::string> digest =
        algorithm == Algorithm::kMd5 ? Base64Decode(*text) : HexDecode(*text);
    if (!digest || digest->size() != size) {
      return Invalid(name, algorithm == Algorithm::kMd5 ? "must be the base64 of 16 bytes"
                                                        : "must be the hex of the digest");
    }
    out = PromisedDigest{algorithm, std::move(*digest)};
  }
  return Status::Ok();
}

Status ReadList(const Fields& f, BindingRequest& r) {
  if (Status s = f.Signed("limit", r.limit); !s.ok()) return s;
  for (auto [name, member] :
       {std::pair{"prefix", &BindingRequest::prefix}, std::pair{"cursor", &BindingRequest::cursor},
        std::pair{"delimiter", &BindingRequest::delimiter},
        std::pair{"startAfter", &BindingRequest::start_after}}) {
    if (Status s = f.Text(name, r.*member); !s.ok()) return s;
  }
  Result<const Json*> include = f.Array("include");
  if (!include.ok()) return include.error();
  if (!*include) return Status::Ok();
  for (const Json& item : **include) {
    // 0: httpMetadata, 1: customMetadata (r2-api.capnp's R2ListRequest.IncludeField).
    if (item == 0) {
      r.include_http = true;
    } else if (item == 1) {
      r.include_custom = true;
    } else {
      return Invalid("include", "must hold 0 (httpMetadata) or 1 (customMetadata)");
    }
  }
  return Status::Ok();
}

Status ReadParts(const Fields& f, std::vector<CompletedPart>& out) {
  Result<const Json*> list = f.Array("parts");
  if (!list.ok()) return list.error();
  if (!*list) return Status::Ok();
  for (const Json& item : **list) {
    if (!item.is_object()) return Invalid("parts", "must hold objects");
    Fields p(item, "parts.");
    std::optional<int64_t> number;
    CompletedPart part;
    if (Status s = p.Signed("part", number); !s.ok()) return s;
    if (Status s = p.Text("etag", part.etag); !s.ok()) return s;
    if (!number || *number < 1 || *number > 10000) {
      return Invalid("parts.part", "must be a part number from 1 to 10000");
    }
    part.part_number = static_cast<uint32_t>(*number);
    out.push_back(std::move(part));
  }
  return Status::Ok();
}

Status ReadRange(const Fields& f, BindingRequest& r) {
  if (Status s = f.Text("rangeHeader", r.range_header); !s.ok()) return s;
  Result<const Json*> range = f.Object("range");
  if (!range.ok()) return range.error();
  if (!*range) return Status::Ok();
  Fields g(**range, "range.");
  RangeRequest out;
  if (Status s = g.Unsigned("offset", out.offset); !s.ok()) return s;
  if (Status s = g.Unsigned("length", out.length); !s.ok()) return s;
  if (Status s = g.Unsigned("suffix", out.suffix); !s.ok()) return s;
  if (out.suffix && (out.offset || out.length)) {
    return Invalid("range", "must give a suffix alone or an offset and length");
  }
  r.range = out;
  return Status::Ok();
}

// The fields of each method (the union members of r2-api.capnp's R2BindingRequest).
Status ReadMethodFields(const Fields& f, BindingRequest& r) {
  switch (r.method) {
    case Method::kHead:
      return Status::Ok();
    case Method::kGet:
      if (Status s = ReadRange(f, r); !s.ok()) return s;
      return ReadConditional(f, r.only_if);
    case Method::kPut:
      if (Status s = ReadConditional(f, r.only_if); !s.ok()) return s;
      if (Status s = ReadDigest(f, r.digest); !s.ok()) return s;
      [[fallthrough]];
    case Method::kCreateMultipartUpload:
      if (Status s = ReadHttpFields(f, r.http); !s.ok()) return s;
      if (Status s = ReadCustomFields(f, r.custom); !s.ok()) return s;
      return f.Text("storageClass", r.storage_class);
    case Method::kList:
      return ReadList(f, r);
    case Method::kDelete: {
      Result<const Json*> keys = f.Array("objects");
      if (!keys.ok()) return keys.error();
      if (!*keys) return Status::Ok();
      r.keys.emplace();
      for (const Json& key : **keys) {
        if (!key.is_string()) return Invalid("objects", "must hold strings");
        r.keys->push_back(key.get<std::string>());
      }
      return Status::Ok();
    }
    case Method::kUploadPart: {
      std::optional<int64_t> number;
      if (Status s = f.Signed("partNumber", number); !s.ok()) return s;
      if (!number || *number < 1 || *number > 10000) {
        return Invalid("partNumber", "must be a part number from 1 to 10000");
      }
      r.part_number = static_cast<uint32_t>(*number);
      return f.Text("uploadId", r.upload_id);
    }
    case Method::kCompleteMultipartUpload:
      if (Status s = ReadParts(f, r.parts); !s.ok()) return s;
      [[fallthrough]];
    case Method::kAbortMultipartUpload:
      return f.Text("uploadId", r.upload_id);
  }
  return Status::Ok();
}

}  // namespace

std::string_view MethodName(Method m) {
  for (const auto& [name, method] : kMethods) {
    if (method == m) return name;
  }
  return "unknown";
}

bool SentAsGet(Method m) { return m == Method::kHead || m == Method::kGet || m == Method::kList; }

Result<BindingRequest> ParseBindingRequest(std::string_view json) {
  Json doc = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Error(ErrorCode::kInvalidArgument, "The binding request is not a JSON object.");
  }
  Fields f(doc, "");
  std::optional<uint64_t> version;
  if (Status s = f.Unsigned("version", version); !s.ok()) return s.error();
  if (version != 1u) return Invalid("version", "must be 1 (the binding's public beta protocol)");
  std::string method;
  if (Status s = f.Text("method", method); !s.ok()) return s.error();
  BindingRequest r;
  const auto* known = std::find_if(std::begin(kMethods), std::end(kMethods),
                                   [&](const auto& m) { return m.first == method; });
  if (known == std::end(kMethods)) {
    return Error(ErrorCode::kNotImplemented,
                 "The binding method '" + method + "' is not one cairn serves.");
  }
  r.method = known->second;
  if (Status s = f.Text("object", r.key); !s.ok()) return s.error();
  if (Status s = ReadMethodFields(f, r); !s.ok()) return s.error();
  r.ssec = f.Find("ssec") != nullptr;
  return r;
}

}  // namespace cairn::s3::binding
