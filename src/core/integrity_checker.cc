#include "core/integrity_checker.h"

#include "common/encoding.h"

namespace cairn::core {
namespace {

// The BadDigest message. A checksum that is the one of an empty body, sent with a body that is not
// empty, is almost always a presigned PUT URL from the AWS SDK for JavaScript v3, which computes
// it when presigning (where it cannot see the body): say so, and how to turn it off.
std::string ChecksumMismatchMessage(ChecksumAlgorithm a, const std::string& promised) {
  const std::string name(ChecksumAlgorithmName(a));
  std::string message = "The " + name + " you specified did not match the calculated checksum.";
  if (promised == Base64Encode(MakeChecksumHasher(a)->Finish())) {
    message += " The " + std::string(ChecksumHeaderName(a)) + " sent, " + promised + ", is the " +
               name +
               " of an empty body: a presigned URL made by the AWS SDK for JavaScript v3 carries "
               "it unless the S3Client is created with requestChecksumCalculation: "
               "\"WHEN_REQUIRED\".";
  }
  return message;
}

}  // namespace

Status CheckChecksumValue(ChecksumAlgorithm a, std::string_view value) {
  auto raw = Base64Decode(value);
  if (!raw || raw->size() != ChecksumDigestSize(a)) {
    return Status(ErrorCode::kInvalidRequest,
                  "Value for " + std::string(ChecksumHeaderName(a)) + " header is invalid.");
  }
  return Status::Ok();
}

IntegrityChecker::IntegrityChecker(IntegrityExpectations expectations)
    : expect_(std::move(expectations)), md5_(MakeMd5Hasher()) {
  if (expect_.payload_sha256_hex) sha256_ = MakeSha256Hasher();
  if (expect_.algorithm) checksum_ = MakeChecksumHasher(*expect_.algorithm);
}

void IntegrityChecker::UpdateLane(size_t lane, std::string_view data) {
  if (lane == kSha256Lane) {
    sha256_->Update(data);
    return;
  }
  md5_->Update(data);
  if (checksum_) checksum_->Update(data);
}

void IntegrityChecker::Update(std::string_view data) {
  for (size_t lane = 0; lane < lanes(); ++lane) UpdateLane(lane, data);
}

Result<IntegrityOutcome> IntegrityChecker::Finish(
    const std::vector<std::pair<std::string, std::string>>& trailers) {
  // S3 takes from a trailer only what x-amz-trailer announced: anything else is refused, not
  // ignored, so that a checksum the client meant to be checked is never skipped.
  for (const auto& [name, value] : trailers) {
    if (!expect_.checksum_in_trailer || name != ChecksumHeaderName(*expect_.algorithm)) {
      return Error(ErrorCode::kInvalidRequest,
                   "The request has a trailing header that x-amz-trailer does not announce.");
    }
  }
  IntegrityOutcome out;
  out.md5 = md5_->Finish();
  if (sha256_ && HexEncode(sha256_->Finish()) != *expect_.payload_sha256_hex) {
    return Error(ErrorCode::kXAmzContentSHA256Mismatch);
  }
  if (expect_.content_md5 && *expect_.content_md5 != out.md5) {
    return Error(ErrorCode::kBadDigest,
                 "The Content-MD5 you specified did not match what we received.");
  }
  if (checksum_) {
    ChecksumAlgorithm a = *expect_.algorithm;
    std::string actual = Base64Encode(checksum_->Finish());
    std::optional<std::string> promised = expect_.checksum_base64;
    if (expect_.checksum_in_trailer) {
      for (const auto& [name, value] : trailers) {
        if (name == ChecksumHeaderName(a)) promised = value;
      }
      if (!promised) {
        return Error(ErrorCode::kInvalidRequest, "The trailer " +
                                                     std::string(ChecksumHeaderName(a)) +
                                                     " named in x-amz-trailer was not sent.");
      }
      if (Status s = CheckChecksumValue(a, *promised); !s.ok()) return s.error();
    }
    if (promised && *promised != actual) {
      return Error(ErrorCode::kBadDigest, ChecksumMismatchMessage(a, *promised));
    }
    out.checksums.emplace(std::string(ChecksumAlgorithmName(a)), std::move(actual));
  }
  return out;
}

}  // namespace cairn::core
