// Options and results of the bucket API, shaped like R2's Workers binding (R2PutOptions,
// R2GetOptions, R2ListOptions, R2Object...). Field names follow R2's, in lowerCamelCase. Every
// member has a default initializer, so that designated initializers naming only some fields
// (`bucket.list({.prefix = "a/", .limit = 10})`) compile without -Wmissing-field-initializers.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cairn {

using Time = std::chrono::system_clock::time_point;

struct HttpMetadata {
  std::optional<std::string> contentType = {};
  std::optional<std::string> contentDisposition = {};
  std::optional<std::string> contentEncoding = {};
  std::optional<std::string> contentLanguage = {};
  std::optional<std::string> cacheControl = {};
  std::optional<std::string> expires = {};  // an HTTP date, sent as is
};

// R2Conditional. ETags without quotes.
struct Conditional {
  std::optional<std::string> etagMatches = {};
  std::optional<std::string> etagDoesNotMatch = {};
  std::optional<Time> uploadedBefore = {};
  std::optional<Time> uploadedAfter = {};
};

// Checksums the server verifies and stores, as lowercase hex of the digest (CRCs big-endian).
struct Checksums {
  std::optional<std::string> md5 = {};
  std::optional<std::string> sha1 = {};
  std::optional<std::string> sha256 = {};
  std::optional<std::string> crc32 = {};
  std::optional<std::string> crc32c = {};
  std::optional<std::string> crc64nvme = {};
};

struct PutOptions {
  HttpMetadata httpMetadata = {};
  std::map<std::string, std::string> customMetadata = {};
  Conditional onlyIf = {};
  Checksums checksums = {};  // at most one of sha1/sha256/crc32/crc32c/crc64nvme, plus md5
  std::string storageClass = "Standard";  // "Standard" or "InfrequentAccess"
};

// R2Range: offset and/or length, or suffix (the last `suffix` bytes).
struct Range {
  std::optional<uint64_t> offset = {};
  std::optional<uint64_t> length = {};
  std::optional<uint64_t> suffix = {};
};

struct GetOptions {
  Conditional onlyIf = {};
  std::optional<Range> range = {};
};

struct ListOptions {
  std::string prefix = {};
  std::string delimiter = {};
  std::string cursor = {};  // from a previous ListResult
  std::string startAfter = {};
  uint32_t limit = 1000;
  // "httpMetadata" and/or "customMetadata": fetched per object (HEAD) when asked, as R2 does.
  std::vector<std::string> include = {};
};

// R2Object: what put, head, get and list describe.
struct ObjectInfo {
  std::string key = {};
  uint64_t size = 0;
  std::string etag = {};      // without quotes
  std::string httpEtag = {};  // with quotes
  Time uploaded = {};
  HttpMetadata httpMetadata = {};
  std::map<std::string, std::string> customMetadata = {};
  Checksums checksums = {};  // what the server returned (x-amz-checksum-mode: ENABLED)
  std::string storageClass = "Standard";
  std::optional<Range> range = {};  // get with a range: the range served
};

// R2ObjectBody, read into memory. For large objects use Bucket::getToFile / getToStream.
struct ObjectBody : ObjectInfo {
  std::string body = {};
};

struct ListResult {
  std::vector<ObjectInfo> objects = {};
  std::vector<std::string> delimitedPrefixes = {};
  bool truncated = false;
  std::string cursor = {};  // pass as ListOptions::cursor for the next page
};

// R2UploadedPart.
struct UploadedPart {
  uint32_t partNumber = 0;
  std::string etag = {};  // without quotes
};

// Reported after each part is sent (or found already uploaded, when resuming).
struct UploadProgress {
  uint64_t bytesDone = 0;
  uint64_t bytesTotal = 0;  // 0 while a stream upload has not reached its end
  uint32_t partsDone = 0;
  uint32_t partsTotal = 0;
};

// Bucket::upload: single PUT or multipart by size, parts in parallel, retries, resume. For a
// multipart upload, onlyIf is checked when it completes and `checksums` are not used (each part's
// ETag is checked against its MD5 instead).
struct UploadOptions : PutOptions {
  uint64_t multipartThreshold = 100ull << 20;  // larger files go multipart
  // 0: the smallest of 8 MiB, 16 MiB, ... that needs <= 10,000 parts; 16 MiB for a stream.
  uint64_t partSize = 0;
  unsigned concurrency = 4;  // parts in flight, each on its own thread and connection
  unsigned maxRetries = 3;   // per part, for network errors, 5xx, 429 and damaged parts
  // Continue this upload (the same file, the same partSize): parts already there whose size and
  // MD5 match the local bytes are kept, the others sent.
  std::optional<std::string> resumeUploadId = {};
  bool keepPartsOnFailure = false;  // default: abort the upload when it fails
  // Called from the worker threads, one call at a time.
  std::function<void(const UploadProgress&)> onProgress = {};
};

}  // namespace cairn
