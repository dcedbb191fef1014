#include "s3/object_headers.h"

#include "common/ascii.h"
#include "common/hashing.h"
#include "common/header_field.h"
#include "common/metadata_encoding.h"
#include "common/time_format.h"
#include "core/metadata_rules.h"
#include "s3/response.h"

namespace cairn::s3 {
namespace {

constexpr std::string_view kMetaPrefix = "x-amz-meta-";

struct HttpField {
  std::string_view header;    // lowercase request header
  std::string_view response;  // response header name
  std::string_view override;  // response-* query parameter
  std::string core::HttpMetadata::*member;
};

const HttpField kHttpFields[] = {
    {"content-type", "Content-Type", "response-content-type", &core::HttpMetadata::content_type},
    {"content-disposition", "Content-Disposition", "response-content-disposition",
     &core::HttpMetadata::content_disposition},
    {"content-encoding", "Content-Encoding", "response-content-encoding",
     &core::HttpMetadata::content_encoding},
    {"content-language", "Content-Language", "response-content-language",
     &core::HttpMetadata::content_language},
    {"cache-control", "Cache-Control", "response-cache-control",
     &core::HttpMetadata::cache_control},
    {"expires", "Expires", "response-expires", &core::HttpMetadata::expires},
};

// aws-chunked is a transfer detail of the request, not part of the object's Content-Encoding: S3
// stores "aws-chunked, gzip" as "gzip" (PutObject, Content-Encoding). Coding names are
// case-insensitive (RFC 9110 section 8.4.1). A value without aws-chunked is kept exactly as sent
// ("deflate, gzip"); otherwise the other codings keep their order, joined as ", ".
std::string WithoutAwsChunked(std::string_view value) {
  std::vector<std::string_view> kept;
  bool removed = false;
  size_t start = 0;
  while (true) {
    const size_t comma = value.find(',', start);
    const std::string_view item = TrimOws(value.substr(start, comma - start));
    if (EqualsIgnoreCase(item, "aws-chunked")) {
      removed = true;
    } else if (!item.empty()) {
      kept.push_back(item);
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (!removed) return std::string(value);
  std::string out;
  for (std::string_view item : kept) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

}  // namespace

Result<core::ObjectMetadata> ReadRequestMetadata(const RequestContext& ctx) {
  return ReadMetadataFields(ctx.head().headers);
}

Result<core::ObjectMetadata> ReadMetadataFields(
    const std::vector<std::pair<std::string, std::string>>& fields) {
  auto first = [&fields](std::string_view lowercase_name) -> std::optional<std::string_view> {
    for (const auto& [name, value] : fields) {
      if (name == lowercase_name) return std::string_view(value);
    }
    return std::nullopt;
  };
  core::ObjectMetadata md;
  for (const HttpField& f : kHttpFields) {
    if (auto v = first(f.header)) md.http.*f.member = std::string(*v);
  }
  for (const HttpField& f : kHttpFields) {
    if (Status s = CheckHeaderValue(f.response, md.http.*f.member); !s.ok()) return s.error();
  }
  md.http.content_encoding = WithoutAwsChunked(md.http.content_encoding);
  for (const auto& [name, value] : fields) {
    if (name.starts_with(kMetaPrefix) && name.size() > kMetaPrefix.size()) {
      md.user.emplace_back(name.substr(kMetaPrefix.size()), DecodeMetadataValue(value));
    }
  }
  if (Status s = core::ValidateUserMetadata(md.user); !s.ok()) return s.error();
  auto storage_class = core::NormalizeStorageClass(first("x-amz-storage-class").value_or(""));
  if (!storage_class.ok()) return storage_class.error();
  md.storage_class = std::move(*storage_class);
  return md;
}

Status CheckResponseOverrides(const QueryParams& query) {
  for (const HttpField& f : kHttpFields) {
    if (auto o = query.Get(f.override)) {
      if (Status s = CheckHeaderValue(f.override, *o); !s.ok()) return s;
    }
  }
  return Status::Ok();
}

void AddObjectHeaders(const RequestContext& ctx, const core::ObjectRead& read,
                      http::ResponseHead& head) {
  const core::ObjectRecord& object = *read.object;
  head.Set("ETag", QuoteEtag(object.etag));
  head.Set("Last-Modified", FormatHttpDate(object.last_modified));
  head.Set("Accept-Ranges", "bytes");
  for (const HttpField& f : kHttpFields) {
    std::string value = object.http.*f.member;
    if (auto o = ctx.query.Get(f.override)) value = std::string(*o);
    if (f.header == "content-type" && value.empty()) value = "binary/octet-stream";
    if (!value.empty()) head.Set(std::string(f.response), std::move(value));
  }
  // R2 stores x-amz-meta-* values decoded and "any metadata values with unicode are RFC
  // 2047-encoded before rendering the response" (R2 docs, S3 API extensions, "Extended metadata
  // using Unicode"): B-encoded words, as S3 SDKs encode them. Printable ASCII goes out as it is.
  for (const auto& [name, value] : object.user_metadata) {
    head.Set(std::string(kMetaPrefix) + name,
             NeedsEncodedWords(value) ? EncodeAsWords(value) : value);
  }
  if (object.storage_class != "STANDARD") head.Set("x-amz-storage-class", object.storage_class);
  if (object.parts_count > 0) head.Set("x-amz-mp-parts-count", std::to_string(object.parts_count));
  if (read.checksums && ctx.Header("x-amz-checksum-mode") == "ENABLED") {
    AddChecksumHeaders(*read.checksums, read.checksum_type, head);
  }
}

void AddChecksumHeaders(const core::ObjectRecord& object, http::ResponseHead& head) {
  AddChecksumHeaders(object.checksums, object.checksum_type, head);
}

void AddChecksumHeaders(const std::map<std::string, std::string>& checksums, std::string_view type,
                        http::ResponseHead& head) {
  bool any = false;
  for (const auto& [algorithm, value] : checksums) {
    if (auto a = ParseChecksumAlgorithm(algorithm)) {
      head.Set(std::string(ChecksumHeaderName(*a)), value);
      any = true;
    }
  }
  if (any && !type.empty()) head.Set("x-amz-checksum-type", std::string(type));
}

core::Conditions ReadConditions(const RequestContext& ctx, std::string_view prefix) {
  auto header = [&](std::string_view name) {
    return ctx.Header(std::string(prefix) + std::string(name));
  };
  core::Conditions c;
  if (auto v = header("if-match")) c.if_match = std::string(*v);
  if (auto v = header("if-none-match")) c.if_none_match = std::string(*v);
  if (auto v = header("if-modified-since")) c.if_modified_since = ParseHttpDate(*v);
  if (auto v = header("if-unmodified-since")) c.if_unmodified_since = ParseHttpDate(*v);
  return c;
}

}  // namespace cairn::s3
