// What a request body must prove about itself, and the running digests that check it: the ETag's
// MD5 (always), Content-MD5, a literal x-amz-content-sha256, and one x-amz-checksum-* algorithm
// whose value comes in a header, a presigned URL's query, or a trailer. The rules for combining
// them follow S3's "Checking object integrity" page: one checksum per request, never a header
// and a trailer together.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/hashing.h"
#include "common/status.h"
#include "s3/context.h"

namespace cairn::s3 {

struct IntegrityExpectations {
  std::optional<std::string> content_md5;         // raw 16 bytes
  std::optional<std::string> payload_sha256_hex;  // literal x-amz-content-sha256
  std::optional<ChecksumAlgorithm> algorithm;     // the checksum to compute and store
  std::optional<std::string> checksum_base64;     // its expected value, when sent up front
  bool checksum_in_trailer = false;               // its expected value comes in the trailer
};

// Reads the expectations from the request's headers (and hoisted query parameters). Errors:
// InvalidDigest (malformed Content-MD5), InvalidRequest (two checksums, header and trailer, an
// algorithm named without a value, a malformed checksum value).
Result<IntegrityExpectations> ReadIntegrityExpectations(const RequestContext& ctx);

// The same from a POST form's fields (lowercase names): Content-MD5, one x-amz-checksum-<algorithm>
// value, and x-amz-checksum-algorithm, which alone asks for the checksum to be computed and stored.
Result<IntegrityExpectations> ReadFormIntegrityExpectations(
    const std::vector<std::pair<std::string, std::string>>& fields);

struct IntegrityOutcome {
  std::string md5;                               // raw 16 bytes: the ETag of a single PUT
  std::map<std::string, std::string> checksums;  // "CRC32" -> base64, for what was computed
};

// Feeds the body through every digest the expectations ask for. The digests run in lanes that are
// independent of each other, so that a long body's can be computed on separate threads: lane 0 is
// the MD5 (with the checksum, cheap beside it), lane 1 the SHA-256 of a signed payload. Calls for
// different lanes may overlap; calls for the same lane must not, and must come in body order.
class IntegrityChecker {
 public:
  static constexpr size_t kMd5Lane = 0;     // with the checksum
  static constexpr size_t kSha256Lane = 1;  // only for a signed payload
  explicit IntegrityChecker(IntegrityExpectations expectations);
  size_t lanes() const { return sha256_ ? 2 : 1; }
  void UpdateLane(size_t lane, std::string_view data);
  void Update(std::string_view data);  // every lane
  // Compares what arrived with what was promised. `trailers` are the aws-chunked trailers
  // (lowercase names). Errors: BadDigest, XAmzContentSHA256Mismatch, InvalidRequest (a promised
  // trailer is missing).
  Result<IntegrityOutcome> Finish(const std::vector<std::pair<std::string, std::string>>& trailers);

 private:
  IntegrityExpectations expect_;
  std::unique_ptr<Hasher> md5_;
  std::unique_ptr<Hasher> sha256_;
  std::unique_ptr<Hasher> checksum_;
};

}  // namespace cairn::s3
