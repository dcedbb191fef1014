// Rendering of object descriptions for people and for --json.
#include "cli/output.h"

#include <cstdio>

#include "cli/args.h"
#include "common/time_format.h"

namespace cairn::cli {
namespace {

Json HttpMetadataJson(const HttpMetadata& m) {
  Json out = Json::object();
  if (m.contentType) out["contentType"] = *m.contentType;
  if (m.contentDisposition) out["contentDisposition"] = *m.contentDisposition;
  if (m.contentEncoding) out["contentEncoding"] = *m.contentEncoding;
  if (m.contentLanguage) out["contentLanguage"] = *m.contentLanguage;
  if (m.cacheControl) out["cacheControl"] = *m.cacheControl;
  if (m.expires) out["expires"] = *m.expires;
  return out;
}

Json ChecksumsJson(const Checksums& c) {
  Json out = Json::object();
  if (c.md5) out["md5"] = *c.md5;
  if (c.sha1) out["sha1"] = *c.sha1;
  if (c.sha256) out["sha256"] = *c.sha256;
  if (c.crc32) out["crc32"] = *c.crc32;
  if (c.crc32c) out["crc32c"] = *c.crc32c;
  if (c.crc64nvme) out["crc64nvme"] = *c.crc64nvme;
  return out;
}

}  // namespace

std::string FormatTime(Time t) {
  return FormatIso8601(std::chrono::time_point_cast<std::chrono::milliseconds>(t));
}

Json ObjectInfoJson(const ObjectInfo& info) {
  Json out;
  out["key"] = info.key;
  out["size"] = info.size;
  out["etag"] = info.etag;
  out["httpEtag"] = info.httpEtag;
  out["uploaded"] = FormatTime(info.uploaded);
  out["storageClass"] = info.storageClass;
  out["httpMetadata"] = HttpMetadataJson(info.httpMetadata);
  out["customMetadata"] = Json::object();
  for (const auto& [k, v] : info.customMetadata) out["customMetadata"][k] = v;
  out["checksums"] = ChecksumsJson(info.checksums);
  return out;
}

std::string DescribeObject(const ObjectInfo& info) {
  std::string out;
  auto line = [&out](const std::string& name, const std::string& value) {
    out += FieldLine(name, value);
  };
  line("key", info.key);
  line("size", std::to_string(info.size) + " (" + HumanSize(info.size) + ")");
  line("etag", info.httpEtag.empty() ? info.etag : info.httpEtag);
  line("uploaded", FormatTime(info.uploaded));
  line("storage class", info.storageClass);
  const HttpMetadata& m = info.httpMetadata;
  if (m.contentType) line("content-type", *m.contentType);
  if (m.contentDisposition) line("content-disposition", *m.contentDisposition);
  if (m.contentEncoding) line("content-encoding", *m.contentEncoding);
  if (m.contentLanguage) line("content-language", *m.contentLanguage);
  if (m.cacheControl) line("cache-control", *m.cacheControl);
  if (m.expires) line("expires", *m.expires);
  for (const auto& [k, v] : info.customMetadata) line("meta " + k, v);
  const Json checksums = ChecksumsJson(info.checksums);  // items() does not own what it iterates
  for (const auto& [name, value] : checksums.items()) {
    line("checksum " + name, value.get<std::string>());
  }
  return out;
}

std::string FieldLine(const std::string& name, const std::string& value) {
  return name + ":" + std::string(name.size() < 20 ? 20 - name.size() : 1, ' ') + value + "\n";
}

void PrintJson(const Json& document) {
  const std::string text =
      document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

void PrintLine(const std::string& line) {
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

}  // namespace cairn::cli
