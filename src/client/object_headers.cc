// Mapping between the R2 binding's object model and S3 headers. R2's names are documented in
// "Workers API reference: R2"; the headers in the Amazon S3 API reference of PutObject,
// GetObject and HeadObject.
#include "client/object_headers.h"

#include <charconv>
#include <stdexcept>

#include "common/encoding.h"
#include "common/hashing.h"
#include "common/header_field.h"
#include "common/metadata_encoding.h"
#include "common/time_format.h"

namespace cairn::client {
namespace {

struct HttpField {
  std::string_view header;
  std::optional<std::string> HttpMetadata::*member;
};

constexpr HttpField kHttpFields[] = {
    {"content-type", &HttpMetadata::contentType},
    {"content-disposition", &HttpMetadata::contentDisposition},
    {"content-encoding", &HttpMetadata::contentEncoding},
    {"content-language", &HttpMetadata::contentLanguage},
    {"cache-control", &HttpMetadata::cacheControl},
    {"expires", &HttpMetadata::expires},
};

struct ChecksumField {
  std::optional<std::string> Checksums::*member;
  ChecksumAlgorithm algorithm;
};

constexpr ChecksumField kChecksumFields[] = {
    {&Checksums::sha1, ChecksumAlgorithm::kSha1},
    {&Checksums::sha256, ChecksumAlgorithm::kSha256},
    {&Checksums::crc32, ChecksumAlgorithm::kCrc32},
    {&Checksums::crc32c, ChecksumAlgorithm::kCrc32c},
    {&Checksums::crc64nvme, ChecksumAlgorithm::kCrc64Nvme},
};

constexpr std::string_view kMetaPrefix = "x-amz-meta-";

std::string Lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string DigestBase64(std::string_view hex, size_t digest_size, std::string_view what) {
  std::optional<std::string> raw = HexDecode(hex);
  if (!raw || raw->size() != digest_size) {
    throw std::invalid_argument(std::string(what) + " checksum must be " +
                                std::to_string(digest_size * 2) + " hex digits, got '" +
                                std::string(hex) + "'");
  }
  return Base64Encode(*raw);
}

std::optional<uint64_t> ParseUint(std::string_view s) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

Time ToTime(TimePoint t) { return std::chrono::time_point_cast<Time::duration>(t); }

std::string FormatTime(Time t) {
  return FormatHttpDate(std::chrono::time_point_cast<std::chrono::milliseconds>(t));
}

}  // namespace

void AddHttpMetadata(const HttpMetadata& metadata, Headers& headers) {
  for (const HttpField& f : kHttpFields) {
    if (const auto& value = metadata.*f.member) headers.emplace_back(std::string(f.header), *value);
  }
}

void AddCustomMetadata(const std::map<std::string, std::string>& metadata, Headers& headers) {
  for (const auto& [name, value] : metadata) {
    if (name.empty()) throw std::invalid_argument("a custom metadata name is empty");
    if (!IsHeaderToken(name)) {
      throw std::invalid_argument("custom metadata name '" + name +
                                  "' has a character not allowed in an HTTP header name");
    }
    headers.emplace_back(std::string(kMetaPrefix) + Lowercase(name), EncodeMetadataValue(value));
  }
}

void AddStorageClass(const std::string& storage_class, Headers& headers) {
  if (storage_class.empty()) return;
  headers.emplace_back("x-amz-storage-class", StorageClassToWire(storage_class));
}

void AddConditions(const Conditional& conditions, Headers& headers) {
  if (conditions.etagMatches) headers.emplace_back("if-match", QuoteEtag(*conditions.etagMatches));
  if (conditions.etagDoesNotMatch) {
    headers.emplace_back("if-none-match", QuoteEtag(*conditions.etagDoesNotMatch));
  }
  if (conditions.uploadedBefore) {
    headers.emplace_back("if-unmodified-since", FormatTime(*conditions.uploadedBefore));
  }
  if (conditions.uploadedAfter) {
    headers.emplace_back("if-modified-since", FormatTime(*conditions.uploadedAfter));
  }
}

void AddChecksums(const Checksums& checksums, Headers& headers) {
  if (checksums.md5) headers.emplace_back("content-md5", DigestBase64(*checksums.md5, 16, "md5"));
  for (const ChecksumField& f : kChecksumFields) {
    if (const auto& value = checksums.*f.member) {
      headers.emplace_back(std::string(ChecksumHeaderName(f.algorithm)),
                           DigestBase64(*value, ChecksumDigestSize(f.algorithm),
                                        ChecksumAlgorithmName(f.algorithm)));
    }
  }
}

std::string RangeHeader(const Range& range) {
  if (range.suffix) {
    if (*range.suffix == 0) throw std::invalid_argument("a suffix range of 0 bytes is empty");
    return "bytes=-" + std::to_string(*range.suffix);
  }
  const uint64_t offset = range.offset.value_or(0);
  if (!range.length) return "bytes=" + std::to_string(offset) + "-";
  if (*range.length == 0) throw std::invalid_argument("a range of length 0 is empty");
  return "bytes=" + std::to_string(offset) + "-" + std::to_string(offset + *range.length - 1);
}

std::string StorageClassToWire(const std::string& storage_class) {
  if (storage_class == "Standard") return "STANDARD";
  if (storage_class == "InfrequentAccess") return "STANDARD_IA";
  return storage_class;
}

std::string StorageClassFromWire(const std::string& wire) {
  if (wire.empty() || wire == "STANDARD") return "Standard";
  if (wire == "STANDARD_IA") return "InfrequentAccess";
  return wire;
}

std::string QuoteEtag(std::string_view etag) {
  if (etag == "*" || (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') ||
      etag.starts_with("W/\"")) {
    return std::string(etag);
  }
  return "\"" + std::string(etag) + "\"";
}

std::string UnquoteEtag(std::string_view etag) {
  if (etag.starts_with("W/")) etag.remove_prefix(2);
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return std::string(etag);
}

Checksums ChecksumsFromHeaders(const HttpResponse& response) {
  Checksums out;
  for (const ChecksumField& f : kChecksumFields) {
    if (auto value = response.Header(ChecksumHeaderName(f.algorithm))) {
      if (std::optional<std::string> raw = Base64Decode(*value)) out.*f.member = HexEncode(*raw);
    }
  }
  return out;
}

ObjectInfo ObjectInfoFromHeaders(const std::string& key, const HttpResponse& response) {
  ObjectInfo info;
  info.key = key;
  info.httpEtag = response.Header("etag").value_or("");
  info.etag = UnquoteEtag(info.httpEtag);
  info.uploaded = ParseHttpTime(response.Header("last-modified").value_or(""));
  std::optional<std::string> content_range = response.Header("content-range");
  if (response.status == 206 && content_range && content_range->starts_with("bytes ")) {
    // "bytes 0-9/100": the object is 100 bytes, the answer holds 10 of them.
    const std::string spec = content_range->substr(6);
    const size_t dash = spec.find('-');
    const size_t slash = spec.find('/');
    if (dash != std::string::npos && slash != std::string::npos && dash < slash) {
      auto first = ParseUint(std::string_view(spec).substr(0, dash));
      auto last = ParseUint(std::string_view(spec).substr(dash + 1, slash - dash - 1));
      auto total = ParseUint(std::string_view(spec).substr(slash + 1));
      if (total) info.size = *total;
      if (first && last && *last >= *first) info.range = Range{*first, *last - *first + 1, {}};
    }
  } else if (auto length = response.Header("content-length")) {
    info.size = ParseUint(*length).value_or(0);
  }
  for (const HttpField& f : kHttpFields) {
    if (auto value = response.Header(f.header)) info.httpMetadata.*f.member = *value;
  }
  for (const auto& [name, value] : response.headers) {
    if (name.starts_with(kMetaPrefix) && name.size() > kMetaPrefix.size()) {
      info.customMetadata[name.substr(kMetaPrefix.size())] = DecodeMetadataValue(value);
    }
  }
  info.checksums = ChecksumsFromHeaders(response);
  // A single-part object's ETag is its MD5 (R2 reports it as checksums.md5 too).
  if (info.etag.size() == 32 && HexDecode(info.etag)) info.checksums.md5 = info.etag;
  info.storageClass = StorageClassFromWire(response.Header("x-amz-storage-class").value_or(""));
  return info;
}

Time ParseXmlTime(const std::string& iso8601) {
  std::optional<TimePoint> t = ParseIso8601(iso8601);
  return t ? ToTime(*t) : Time{};
}

Time ParseHttpTime(const std::string& http_date) {
  std::optional<TimePoint> t = ParseHttpDate(http_date);
  return t ? ToTime(*t) : Time{};
}

}  // namespace cairn::client
