// Bucket: R2's Workers binding over S3 requests. put -> PutObject, get/head ->
// GetObject/HeadObject, remove -> DeleteObject/DeleteObjects, list -> ListObjectsV2,
// createMultipartUpload -> CreateMultipartUpload, presign -> SigV4 query signing. Where R2's
// binding answers null (a failed precondition, a missing key) these return an empty optional.
// Bucket::upload is in upload.cc.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "cairn/client.h"
#include "client/client_impl.h"
#include "client/multipart_internal.h"
#include "client/object_headers.h"
#include "common/encoding.h"

namespace cairn {

using client::ExpectSuccess;
using client::HttpResponse;
using client::Request;

namespace {

constexpr size_t kDeleteBatch = 1000;  // DeleteObjects takes at most 1,000 keys
constexpr std::chrono::seconds kMaxPresignExpiry{7 * 24 * 3600};

// GetObject with R2's get options; the body goes to `sink`. nullopt as R2's get returns null.
std::optional<ObjectInfo> GetObject(Client::Impl& impl, const std::string& bucket,
                                    const std::string& key, const GetOptions& options,
                                    const client::BodySink& sink) {
  Request request{"GET", bucket, key};
  client::AddConditions(options.onlyIf, request.headers);
  if (options.range) request.headers.emplace_back("range", client::RangeHeader(*options.range));
  request.headers.emplace_back("x-amz-checksum-mode", "ENABLED");
  HttpResponse response = impl.Send(request, sink);
  if (response.status == 404 && client::ErrorCodeOf(response) == "NoSuchKey") return std::nullopt;
  if (response.status == 304 || response.status == 412) return std::nullopt;
  ExpectSuccess(response);
  return client::ObjectInfoFromHeaders(key, response);
}

// A file created beside `path` for a download to land in before it is renamed over `path`, so
// that a failed download leaves no half-written file behind.
struct TempFile {
  std::string path;
  int fd = -1;
};

TempFile CreateTempBeside(const std::string& path) {
  std::random_device random;
  for (int attempt = 0; attempt < 16; ++attempt) {
    TempFile t;
    t.path = path + ".cairn-" + std::to_string(random());
    t.fd = ::open(t.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (t.fd >= 0) return t;
    if (errno != EEXIST) break;
  }
  throw std::runtime_error("cannot create a file beside " + path + ": " + std::strerror(errno));
}

void WriteAll(int fd, const char* data, size_t size, const std::string& path) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
    data += n;
    size -= static_cast<size_t>(n);
  }
}

}  // namespace

std::optional<ObjectInfo> Bucket::put(const std::string& key, Body body,
                                      const PutOptions& options) {
  Request request{"PUT", name_, key};
  client::AddHttpMetadata(options.httpMetadata, request.headers);
  client::AddCustomMetadata(options.customMetadata, request.headers);
  client::AddConditions(options.onlyIf, request.headers);
  client::AddChecksums(options.checksums, request.headers);
  client::AddStorageClass(options.storageClass, request.headers);
  request.body = &body;
  HttpResponse response = client_->impl().Send(request);
  if (response.status == 412) return std::nullopt;  // R2: put returns null
  ExpectSuccess(response);

  // The answer carries only the ETag and checksums; the rest is what was sent.
  ObjectInfo info;
  info.key = key;
  info.size = body.size().value_or(response.bytes_sent);
  info.httpEtag = response.Header("etag").value_or("");
  info.etag = client::UnquoteEtag(info.httpEtag);
  const Time now = std::chrono::system_clock::now();
  info.uploaded = response.Header("date") ? client::ParseHttpTime(*response.Header("date")) : now;
  if (info.uploaded == Time{}) info.uploaded = now;
  info.httpMetadata = options.httpMetadata;
  info.customMetadata = options.customMetadata;
  info.checksums = client::ChecksumsFromHeaders(response);
  info.checksums.md5 = options.checksums.md5;
  if (info.etag.size() == 32 && HexDecode(info.etag)) info.checksums.md5 = info.etag;
  info.storageClass = options.storageClass.empty() ? "Standard" : options.storageClass;
  return info;
}

std::optional<ObjectBody> Bucket::get(const std::string& key, const GetOptions& options) {
  std::string bytes;
  std::optional<ObjectInfo> info =
      GetObject(client_->impl(), name_, key, options,
                [&bytes](const char* data, size_t size) { bytes.append(data, size); });
  if (!info) return std::nullopt;
  ObjectBody out;
  static_cast<ObjectInfo&>(out) = *std::move(info);
  out.body = std::move(bytes);
  return out;
}

std::optional<ObjectInfo> Bucket::getToStream(const std::string& key, std::ostream& out,
                                              const GetOptions& options) {
  return GetObject(client_->impl(), name_, key, options, [&out](const char* data, size_t size) {
    out.write(data, static_cast<std::streamsize>(size));
    if (!out) throw std::runtime_error("cannot write the object to the output stream");
  });
}

std::optional<ObjectInfo> Bucket::getToFile(const std::string& key, const std::string& path,
                                            const GetOptions& options) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    // A device or a pipe (/dev/stdout, a FIFO): written in place, there is nothing to rename.
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
    try {
      auto info = GetObject(client_->impl(), name_, key, options,
                            [&](const char* data, size_t size) { WriteAll(fd, data, size, path); });
      ::close(fd);
      return info;
    } catch (...) {
      ::close(fd);
      throw;
    }
  }
  TempFile temp = CreateTempBeside(path);
  try {
    auto info = GetObject(client_->impl(), name_, key, options, [&](const char* data, size_t size) {
      WriteAll(temp.fd, data, size, path);
    });
    if (::close(temp.fd) != 0) {
      temp.fd = -1;
      throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
    }
    temp.fd = -1;
    if (!info) {
      ::unlink(temp.path.c_str());
      return std::nullopt;
    }
    if (::rename(temp.path.c_str(), path.c_str()) != 0) {
      throw std::runtime_error("cannot rename " + temp.path + " to " + path + ": " +
                               std::strerror(errno));
    }
    return info;
  } catch (...) {
    if (temp.fd >= 0) ::close(temp.fd);
    ::unlink(temp.path.c_str());
    throw;
  }
}

std::optional<ObjectInfo> Bucket::head(const std::string& key) {
  Request request{"HEAD", name_, key, {}, {{"x-amz-checksum-mode", "ENABLED"}}};
  HttpResponse response = client_->impl().Send(request);
  if (response.status == 404)
    return std::nullopt;  // no body: NoSuchKey and NoSuchBucket look alike
  ExpectSuccess(response);
  return client::ObjectInfoFromHeaders(key, response);
}

void Bucket::remove(const std::string& key) {
  Request request{"DELETE", name_, key};
  HttpResponse response = client_->impl().Send(request);
  if (response.status == 404 && client::ErrorCodeOf(response) == "NoSuchKey") return;
  ExpectSuccess(response);
}

void Bucket::remove(const std::vector<std::string>& keys) {
  for (size_t start = 0; start < keys.size(); start += kDeleteBatch) {
    const size_t end = std::min(keys.size(), start + kDeleteBatch);
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete><Quiet>true</Quiet>";
    for (size_t i = start; i < end; ++i) {
      xml += "<Object><Key>" + client::XmlEscape(keys[i]) + "</Key></Object>";
    }
    xml += "</Delete>";
    Body body = Body::FromString(xml);
    Request request{"POST",
                    name_,
                    "",
                    {{"delete", ""}},
                    {{"content-md5", client::ContentMd5(xml)}, {"content-type", "application/xml"}},
                    &body};
    HttpResponse response = client_->impl().Send(request);
    ExpectSuccess(response);
    // Quiet mode lists only the keys that could not be deleted.
    client::XmlElement result = client::ParseAnswer(response, "DeleteObjects");
    if (result.name == "Error") client::ThrowS3Error(response);
    if (const client::XmlElement* error = result.Child("Error")) {
      throw S3Error(
          error->ChildText("Code"),
          "cannot delete '" + error->ChildText("Key") + "': " + error->ChildText("Message"),
          response.status, response.Header("x-amz-request-id").value_or(""));
    }
  }
}

ListResult Bucket::list(const ListOptions& options) {
  Request request{"GET", name_, "", {{"list-type", "2"}, {"encoding-type", "url"}}};
  if (!options.prefix.empty()) request.query.emplace_back("prefix", options.prefix);
  if (!options.delimiter.empty()) request.query.emplace_back("delimiter", options.delimiter);
  if (!options.cursor.empty()) request.query.emplace_back("continuation-token", options.cursor);
  if (!options.startAfter.empty()) request.query.emplace_back("start-after", options.startAfter);
  request.query.emplace_back("max-keys", std::to_string(options.limit));
  HttpResponse response = client_->impl().Send(request);
  ExpectSuccess(response);
  client::XmlElement doc = client::ParseAnswer(response, "ListObjectsV2");
  // encoding-type=url: keys and prefixes arrive percent-encoded ('+' for a space from AWS).
  const bool encoded = doc.ChildText("EncodingType") == "url";
  auto decode = [encoded](const std::string& text) {
    if (!encoded) return text;
    return UrlDecode(text, /*plus_is_space=*/true).value_or(text);
  };

  ListResult result;
  for (const client::XmlElement* c : doc.Children("Contents")) {
    ObjectInfo info;
    info.key = decode(c->ChildText("Key"));
    info.size = std::strtoull(c->ChildText("Size").c_str(), nullptr, 10);
    info.etag = client::UnquoteEtag(c->ChildText("ETag"));
    info.httpEtag = client::QuoteEtag(info.etag);
    info.uploaded = client::ParseXmlTime(c->ChildText("LastModified"));
    info.storageClass = client::StorageClassFromWire(c->ChildText("StorageClass"));
    result.objects.push_back(std::move(info));
  }
  for (const client::XmlElement* p : doc.Children("CommonPrefixes")) {
    result.delimitedPrefixes.push_back(decode(p->ChildText("Prefix")));
  }
  result.truncated = doc.ChildText("IsTruncated") == "true";
  if (result.truncated) result.cursor = doc.ChildText("NextContinuationToken");

  // R2 returns metadata in a listing only when asked; S3 does not list it at all: one HEAD each.
  bool want_http = false, want_custom = false;
  for (const std::string& field : options.include) {
    want_http |= field == "httpMetadata";
    want_custom |= field == "customMetadata";
  }
  if (want_http || want_custom) {
    for (ObjectInfo& info : result.objects) {
      std::optional<ObjectInfo> full = head(info.key);
      if (!full) continue;  // deleted since it was listed
      if (want_http) info.httpMetadata = full->httpMetadata;
      if (want_custom) info.customMetadata = full->customMetadata;
      info.checksums = full->checksums;
    }
  }
  return result;
}

MultipartUpload Bucket::createMultipartUpload(const std::string& key, const PutOptions& options) {
  Request request{"POST", name_, key, {{"uploads", ""}}};
  client::AddHttpMetadata(options.httpMetadata, request.headers);
  client::AddCustomMetadata(options.customMetadata, request.headers);
  client::AddStorageClass(options.storageClass, request.headers);
  HttpResponse response = client_->impl().Send(request);
  ExpectSuccess(response);
  client::XmlElement doc = client::ParseAnswer(response, "CreateMultipartUpload");
  std::string upload_id = doc.ChildText("UploadId");
  if (upload_id.empty()) throw TransportError("CreateMultipartUpload: the answer has no UploadId");
  return MultipartUpload(*client_, name_, key, upload_id);
}

MultipartUpload Bucket::resumeMultipartUpload(const std::string& key, const std::string& uploadId) {
  return MultipartUpload(*client_, name_, key, uploadId);
}

std::string Bucket::presign(const std::string& method, const std::string& key,
                            const PresignOptions& options) {
  if (method != "GET" && method != "HEAD" && method != "PUT" && method != "DELETE") {
    throw std::invalid_argument("presign: method must be GET, HEAD, PUT or DELETE, not " + method);
  }
  if (options.expiry.count() < 1 || options.expiry > kMaxPresignExpiry) {
    throw std::invalid_argument("presign: expiry must be from 1 second to 7 days");
  }
  if (options.partNumber.has_value() != options.uploadId.has_value()) {
    throw std::invalid_argument("presign: UploadPart needs both partNumber and uploadId");
  }
  client::Headers query;
  if (options.partNumber) {
    if (method != "PUT") throw std::invalid_argument("presign: UploadPart is a PUT");
    query.emplace_back("partNumber", std::to_string(*options.partNumber));
    query.emplace_back("uploadId", *options.uploadId);
  }
  client::Headers headers(options.headers.begin(), options.headers.end());
  return client_->impl().Presign(method, name_, key, query, headers, options.expiry);
}

}  // namespace cairn
