// Object metadata on the wire: reading what a PUT sends (HTTP metadata, x-amz-meta-*, storage
// class) and writing it back as GET/HEAD response headers.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "core/object_read.h"
#include "core/preconditions.h"
#include "core/records.h"
#include "http/exchange.h"
#include "s3/context.h"

namespace cairn::s3 {

// Content-Type and friends, x-amz-meta-* (RFC 2047 values decoded) and x-amz-storage-class from
// the request. Errors: MetadataTooLarge, InvalidStorageClass, InvalidArgument (a value or, from a
// form, a name that cannot be sent back as a header).
Result<core::ObjectMetadata> ReadRequestMetadata(const RequestContext& ctx);
// The same from name/value pairs with lowercase names (the headers, or a POST form's fields);
// the first of repeated names counts, as for headers.
Result<core::ObjectMetadata> ReadMetadataFields(
    const std::vector<std::pair<std::string, std::string>>& fields);

// The response-* query parameters (response-content-type, ...) must be fit for a header: their
// values are sent back verbatim. InvalidArgument otherwise.
Status CheckResponseOverrides(const QueryParams& query);

// Response headers of a read: the object's ETag, Last-Modified, the stored HTTP metadata
// (overridden by response-content-* query parameters), x-amz-meta-*, storage class, and with
// `x-amz-checksum-mode: ENABLED` the checksums the read shows (the whole object's or a part's).
void AddObjectHeaders(const RequestContext& ctx, const core::ObjectRead& read,
                      http::ResponseHead& head);

// x-amz-checksum-<algorithm> for each stored checksum, and x-amz-checksum-type.
void AddChecksumHeaders(const core::ObjectRecord& object, http::ResponseHead& head);
// The same for any checksums: the type only with at least one checksum.
void AddChecksumHeaders(const std::map<std::string, std::string>& checksums, std::string_view type,
                        http::ResponseHead& head);

// If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since, from headers with `prefix`
// ("" for the object itself, "x-amz-copy-source-" for a copy source). Unparseable dates are ignored
// as HTTP says.
core::Conditions ReadConditions(const RequestContext& ctx, std::string_view prefix = "");

}  // namespace cairn::s3
