// What a request body must prove about itself, read off the wire: Content-MD5, a literal
// x-amz-content-sha256, and one x-amz-checksum-* algorithm whose value comes in a header, a
// presigned URL's query, or a trailer. The rules for combining them follow S3's "Checking object
// integrity" page: one checksum per request, never a header and a trailer together. The core
// services check the body against them (core/integrity_checker.h).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "core/integrity_checker.h"
#include "core/multipart_completion.h"
#include "s3/context.h"

namespace cairn::s3 {

// Whose checksum the x-amz-checksum-<algorithm> headers carry: the request body's, or on
// CompleteMultipartUpload the object's that the parts make (ReadExpectedObjectChecksum), in which
// case neither they nor x-amz-sdk-checksum-algorithm say anything about the body.
enum class ChecksumHeaders { kOfTheBody, kOfTheObject };

// Reads the expectations from the request's headers (and hoisted query parameters). Errors:
// InvalidDigest (malformed Content-MD5), InvalidRequest (two checksums, header and trailer, an
// algorithm named without a value, a malformed checksum value).
Result<core::IntegrityExpectations> ReadIntegrityExpectations(
    const RequestContext& ctx, ChecksumHeaders headers = ChecksumHeaders::kOfTheBody);

// CompleteMultipartUpload's x-amz-checksum-<algorithm> header: the checksum the client expects
// the completed object to have (nullopt when none was sent). Errors: InvalidRequest (two).
Result<std::optional<core::ExpectedChecksum>> ReadExpectedObjectChecksum(const RequestContext& ctx);

// The same from a POST form's fields (lowercase names): Content-MD5, one x-amz-checksum-<algorithm>
// value, and x-amz-checksum-algorithm, which alone asks for the checksum to be computed and stored.
Result<core::IntegrityExpectations> ReadFormIntegrityExpectations(
    const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace cairn::s3
