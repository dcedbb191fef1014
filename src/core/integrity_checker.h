// What a request body must prove about itself, and the running digests that check it: the ETag's
// MD5 (always), Content-MD5, a literal x-amz-content-sha256, and one checksum algorithm whose
// expected value comes up front or in a trailer. The S3 layer reads the expectations off the wire
// (s3/integrity.h); the core services feed the body through the checker as they store it.
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

namespace cairn::core {

struct IntegrityExpectations {
  std::optional<std::string> content_md5;         // raw 16 bytes
  std::optional<std::string> payload_sha256_hex;  // literal x-amz-content-sha256
  std::optional<ChecksumAlgorithm> algorithm;     // the checksum to compute and store
  std::optional<std::string> checksum_base64;     // its expected value, when sent up front
  bool checksum_in_trailer = false;               // its expected value comes in the trailer
};

// InvalidRequest unless `value` is the base64 of a digest of algorithm `a`.
Status CheckChecksumValue(ChecksumAlgorithm a, std::string_view value);

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

}  // namespace cairn::core
