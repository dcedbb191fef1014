#include "s3/integrity.h"

#include "common/ascii.h"
#include "common/encoding.h"

namespace cairn::s3 {
namespace {

constexpr std::string_view kChecksumPrefix = "x-amz-checksum-";

std::optional<ChecksumAlgorithm> AlgorithmOfHeader(std::string_view lowercase_name) {
  if (!lowercase_name.starts_with(kChecksumPrefix)) return std::nullopt;
  std::string_view suffix = lowercase_name.substr(kChecksumPrefix.size());
  if (suffix == "mode" || suffix == "type" || suffix == "algorithm") return std::nullopt;
  return ParseChecksumAlgorithm(suffix);
}

Status CheckChecksumValue(ChecksumAlgorithm a, std::string_view value) {
  auto raw = Base64Decode(value);
  if (!raw || raw->size() != ChecksumDigestSize(a)) {
    return Status(ErrorCode::kInvalidRequest,
                  "Value for " + std::string(ChecksumHeaderName(a)) + " header is invalid.");
  }
  return Status::Ok();
}

}  // namespace

Result<IntegrityExpectations> ReadIntegrityExpectations(const RequestContext& ctx) {
  IntegrityExpectations expect;
  if (auto md5 = ctx.Header("content-md5")) {
    auto raw = Base64Decode(*md5);
    if (!raw || raw->size() != 16) return Error(ErrorCode::kInvalidDigest);
    expect.content_md5 = std::move(*raw);
  }
  if (ctx.auth.payload_mode == auth::PayloadMode::kSha256Literal) {
    expect.payload_sha256_hex = ctx.auth.payload_sha256_hex;
  }

  // Checksum values sent up front: headers, and for presigned URLs the query string.
  std::vector<std::pair<ChecksumAlgorithm, std::string>> sent;
  for (const auto& [name, value] : ctx.head().headers) {
    if (auto a = AlgorithmOfHeader(name)) sent.emplace_back(*a, value);
  }
  if (ctx.auth.presigned) {
    for (const auto& [name, value] : ctx.query.all()) {
      if (auto a = AlgorithmOfHeader(AsciiLowercase(name))) sent.emplace_back(*a, value);
    }
  }
  if (sent.size() > 1) {
    return Error(ErrorCode::kInvalidRequest,
                 "Expecting a single x-amz-checksum- header. Multiple checksum Types are not "
                 "allowed.");
  }

  std::optional<ChecksumAlgorithm> trailer_algorithm;
  if (auto trailer = ctx.Header("x-amz-trailer")) {
    trailer_algorithm = AlgorithmOfHeader(AsciiLowercase(*trailer));
    if (!trailer_algorithm) {
      return Error(ErrorCode::kInvalidRequest,
                   "The value specified in the x-amz-trailer header is not supported.");
    }
    if (!auth::HasTrailer(ctx.auth.payload_mode)) {
      return Error(ErrorCode::kInvalidRequest,
                   "x-amz-trailer needs an x-amz-content-sha256 of a *-TRAILER streaming mode.");
    }
    if (!sent.empty()) {
      return Error(ErrorCode::kInvalidRequest,
                   "Expecting a single x-amz-checksum- header: the checksum was sent both as a "
                   "header and as a trailer.");
    }
  }

  std::optional<ChecksumAlgorithm> sdk_algorithm;
  if (auto name = ctx.SignedValue("x-amz-sdk-checksum-algorithm")) {
    sdk_algorithm = ParseChecksumAlgorithm(*name);
    if (!sdk_algorithm) {
      return Error(ErrorCode::kInvalidRequest,
                   "Value for x-amz-sdk-checksum-algorithm header is invalid.");
    }
  }

  if (!sent.empty()) {
    auto [a, value] = sent.front();
    if (sdk_algorithm && *sdk_algorithm != a) {
      return Error(ErrorCode::kInvalidRequest,
                   "Value for x-amz-sdk-checksum-algorithm header is invalid: it names a "
                   "different algorithm than the x-amz-checksum- header.");
    }
    if (Status s = CheckChecksumValue(a, value); !s.ok()) return s.error();
    expect.algorithm = a;
    expect.checksum_base64 = value;
  } else if (trailer_algorithm) {
    if (sdk_algorithm && *sdk_algorithm != *trailer_algorithm) {
      return Error(ErrorCode::kInvalidRequest,
                   "x-amz-sdk-checksum-algorithm names a different algorithm than x-amz-trailer.");
    }
    expect.algorithm = trailer_algorithm;
    expect.checksum_in_trailer = true;
  } else if (sdk_algorithm) {
    return Error(ErrorCode::kInvalidRequest,
                 "x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* "
                 "or x-amz-trailer headers were found.");
  }
  return expect;
}

IntegrityChecker::IntegrityChecker(IntegrityExpectations expectations)
    : expect_(std::move(expectations)), md5_(MakeMd5Hasher()) {
  if (expect_.payload_sha256_hex) sha256_ = MakeSha256Hasher();
  if (expect_.algorithm) checksum_ = MakeChecksumHasher(*expect_.algorithm);
}

void IntegrityChecker::Update(std::string_view data) {
  md5_->Update(data);
  if (sha256_) sha256_->Update(data);
  if (checksum_) checksum_->Update(data);
}

Result<IntegrityOutcome> IntegrityChecker::Finish(
    const std::vector<std::pair<std::string, std::string>>& trailers) {
  IntegrityOutcome out;
  out.md5 = md5_->Finish();
  if (sha256_ && HexEncode(sha256_->Finish()) != *expect_.payload_sha256_hex) {
    return Error(ErrorCode::kXAmzContentSHA256Mismatch);
  }
  if (expect_.content_md5 && *expect_.content_md5 != out.md5) {
    return Error(ErrorCode::kBadDigest, "The Content-MD5 you specified did not match what we received.");
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
        return Error(ErrorCode::kInvalidRequest,
                     "The trailer " + std::string(ChecksumHeaderName(a)) +
                         " named in x-amz-trailer was not sent.");
      }
      if (Status s = CheckChecksumValue(a, *promised); !s.ok()) return s.error();
    }
    if (promised && *promised != actual) {
      return Error(ErrorCode::kBadDigest,
                   "The " + std::string(ChecksumAlgorithmName(a)) +
                       " you specified did not match the calculated checksum.");
    }
    out.checksums.emplace(std::string(ChecksumAlgorithmName(a)), std::move(actual));
  }
  return out;
}

}  // namespace cairn::s3
