// The R2 binding's options as S3 request headers, and S3 response headers as the binding's
// R2Object: httpMetadata <-> Content-Type and friends, customMetadata <-> x-amz-meta-*, onlyIf <->
// If-Match / If-None-Match / If-Unmodified-Since / If-Modified-Since, checksums <-> Content-MD5 and
// x-amz-checksum-*, storage class names, ranges, ETag quoting and times.
#pragma once

#include <string>
#include <string_view>

#include "cairn/options.h"
#include "client/client_impl.h"

namespace cairn::client {

void AddHttpMetadata(const HttpMetadata& metadata, Headers& headers);
// x-amz-meta-<name> for each entry, values RFC 2047 encoded when they need it. Throws
// std::invalid_argument for a name that cannot be a header name.
void AddCustomMetadata(const std::map<std::string, std::string>& metadata, Headers& headers);
// "Standard" -> STANDARD, "InfrequentAccess" -> STANDARD_IA; other values are sent as they are,
// for the server to judge.
void AddStorageClass(const std::string& storage_class, Headers& headers);
// R2's onlyIf on put and get: etagMatches -> If-Match, etagDoesNotMatch -> If-None-Match,
// uploadedBefore -> If-Unmodified-Since, uploadedAfter -> If-Modified-Since.
void AddConditions(const Conditional& conditions, Headers& headers);
// md5 -> Content-MD5, the others -> x-amz-checksum-<algorithm>, all base64 of the digest given
// in hex. Throws std::invalid_argument for a value that is not hex of the algorithm's length.
void AddChecksums(const Checksums& checksums, Headers& headers);
// "bytes=0-99", "bytes=100-", "bytes=-100". Throws std::invalid_argument for an empty range.
std::string RangeHeader(const Range& range);

std::string StorageClassToWire(const std::string& storage_class);
std::string StorageClassFromWire(const std::string& wire);

// `"abc"` for abc; "*" and already quoted values stay as they are.
std::string QuoteEtag(std::string_view etag);
std::string UnquoteEtag(std::string_view etag);

// The object described by the headers of a GET or HEAD answer (size from Content-Range when the
// answer is partial).
ObjectInfo ObjectInfoFromHeaders(const std::string& key, const HttpResponse& response);
// x-amz-checksum-* answer headers (base64) as hex.
Checksums ChecksumsFromHeaders(const HttpResponse& response);

Time ParseXmlTime(const std::string& iso8601);     // the epoch when unparsable
Time ParseHttpTime(const std::string& http_date);  // the epoch when unparsable

}  // namespace cairn::client
