// The domain's records: buckets, objects, multipart uploads and their parts, and the queries that
// page through them. The metadata store keeps them, the core services work on them, and the S3
// layer renders them; they name no engine. An object is a list of extents (blob id, offset,
// length), so that a multipart object can be completed without copying bytes and a copy can share
// blobs.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/time_format.h"

namespace cairn::core {

struct BucketRecord {
  std::string name;
  TimePoint created;
  std::string location;  // "auto" unless configured
};

// What a bucket holds: kept by the metadata store as objects change, so reading it costs the same
// in any bucket size. Objects only: parts of multipart uploads in progress are not counted.
struct BucketUsage {
  uint64_t objects = 0;
  uint64_t bytes = 0;
  bool operator==(const BucketUsage&) const = default;
};

struct Extent {
  std::string blob_id;
  uint64_t offset = 0;
  uint64_t length = 0;
  bool operator==(const Extent&) const = default;
};

// The HTTP metadata S3 stores with an object and returns as response headers.
struct HttpMetadata {
  std::string content_type;
  std::string content_disposition;
  std::string content_encoding;
  std::string content_language;
  std::string cache_control;
  std::string expires;  // as sent (S3 returns it verbatim)
  bool operator==(const HttpMetadata&) const = default;
};

// What a client says about an object it writes: HTTP metadata, x-amz-meta-* (names lowercased, in
// the order sent) and the storage class.
struct ObjectMetadata {
  HttpMetadata http;
  std::vector<std::pair<std::string, std::string>> user;
  std::string storage_class;
};

// One part of a multipart object, kept at completion: its size, for partNumber=N reads, and its
// checksum under the upload's algorithm ("CRC32" -> base64), for partNumber=N reads and
// GetObjectAttributes; none when the upload had no algorithm.
struct ObjectPart {
  uint64_t size = 0;
  std::map<std::string, std::string> checksums;
  bool operator==(const ObjectPart&) const = default;
};

struct ObjectRecord {
  std::string bucket;
  std::string key;  // UTF-8 bytes, stored and compared byte-exact
  uint64_t size = 0;
  std::string etag;  // without quotes: hex MD5, or hex-md5-of-md5s "-N"
  TimePoint last_modified;
  HttpMetadata http;
  std::vector<std::pair<std::string, std::string>> user_metadata;  // x-amz-meta-* (name lowercased)
  std::string storage_class = "STANDARD";
  // Algorithm name ("CRC32", ...) -> base64 value.
  std::map<std::string, std::string> checksums;
  std::string checksum_type;      // "FULL_OBJECT" or "COMPOSITE"; empty when no checksum
  uint32_t parts_count = 0;       // 0 for a single PUT
  std::vector<ObjectPart> parts;  // multipart only: the parts in order
  std::vector<Extent> extents;
  // The bytes of a small object that the metadata store keeps itself, committed with its row (so
  // one group commit makes many small PUTs durable). Such an object has no extents. GetObject
  // fills it in; listings leave it empty.
  std::string inline_data;
  bool stored_inline() const { return extents.empty() && size > 0; }
};

struct ListQuery {
  std::string prefix;
  std::string delimiter;    // empty: no grouping
  std::string start_after;  // exclusive lower bound on keys (marker / start-after / token)
  uint32_t max_keys = 1000;
};

struct ListPage {
  std::vector<ObjectRecord> objects;  // without extents
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  // The last key or common prefix returned; the next page starts after it.
  std::string next_marker;
};

// A substring search over one bucket's keys (cairn's own extension: S3 lists by prefix only). The
// scan reads keys in order from after `start_after`, under `prefix`, and stops at `max_matches`
// matches or after reading `scan_budget` keys, whichever comes first, so that a page costs bounded
// work even in a huge bucket with few matches.
struct SearchQuery {
  std::string substring;    // non-empty; matched byte for byte, never as a pattern
  std::string prefix;       // only keys starting with this
  std::string start_after;  // exclusive lower bound on keys (a previous page's resume_after)
  uint32_t max_matches = 100;
  uint64_t scan_budget = 100'000;  // keys read at most
  bool ignore_ascii_case = false;  // A-Z match a-z; other bytes still match exactly
};

struct SearchPage {
  std::vector<ObjectRecord> matches;  // in key order, without extents
  uint64_t scanned = 0;               // keys read
  // True when keys beyond the scan remain: the next page starts after resume_after, which is the
  // last match when the page filled up, else the last key read. It may hold no match.
  bool truncated = false;
  std::string resume_after;
};

// A multipart upload in progress: what CreateMultipartUpload fixed for the object to be.
struct UploadRecord {
  std::string upload_id;  // unguessable: 128 random bits
  std::string bucket;
  std::string key;
  TimePoint initiated;
  HttpMetadata http;
  std::vector<std::pair<std::string, std::string>> user_metadata;
  std::string storage_class = "STANDARD";
  std::string checksum_algorithm;  // "" or "CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"
  std::string checksum_type;       // "" or "COMPOSITE" / "FULL_OBJECT"
};

struct PartRecord {
  uint32_t part_number = 0;  // 1..10000
  uint64_t size = 0;
  std::string etag;  // unquoted hex MD5 of the part
  TimePoint last_modified;
  std::map<std::string, std::string> checksums;  // "CRC32" -> base64 of the part
  std::vector<Extent> extents;
};

// What a completed multipart upload leaves behind so that a retried CompleteMultipartUpload (an
// SDK whose response was lost) is answered as the first one was. Kept until `expires`, then
// removed by the lifecycle sweeper.
struct CompletedUploadRecord {
  std::string upload_id;
  std::string bucket;
  std::string key;
  std::string parts_digest;  // names the part list the client completed with (PartListDigest)
  std::string etag;          // the object's, unquoted
  std::map<std::string, std::string> checksums;  // the object's: "CRC32" -> base64 "-N" or not
  std::string checksum_type;                     // "" or "COMPOSITE" / "FULL_OBJECT"
  uint64_t size = 0;
  TimePoint expires;
  bool operator==(const CompletedUploadRecord&) const = default;
};

struct PartsPage {
  std::vector<PartRecord> parts;  // ascending part numbers, without extents
  bool truncated = false;
  uint32_t next_part_number_marker = 0;
};

struct UploadsQuery {
  std::string prefix;
  std::string delimiter;
  std::string key_marker;        // uploads of keys after this one...
  std::string upload_id_marker;  // ...or of key_marker itself, initiated after this upload
  uint32_t max_uploads = 1000;
};

struct UploadsPage {
  std::vector<UploadRecord> uploads;  // by key, then by initiation time
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  std::string next_key_marker;
  std::string next_upload_id_marker;
};

}  // namespace cairn::core
