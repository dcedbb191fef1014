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

// Content-MD5: base64 of 16 bytes, else InvalidDigest.
Status ReadContentMd5(std::optional<std::string_view> value, IntegrityExpectations* expect) {
  if (!value) return Status::Ok();
  auto raw = Base64Decode(*value);
  if (!raw || raw->size() != 16) return Status(ErrorCode::kInvalidDigest);
  expect->content_md5 = std::move(*raw);
  return Status::Ok();
}

// Appends the x-amz-checksum-<algorithm> values among `fields` (names in any case).
void CollectChecksums(const std::vector<std::pair<std::string, std::string>>& fields,
                      std::vector<std::pair<ChecksumAlgorithm, std::string>>* sent) {
  for (const auto& [name, value] : fields) {
    if (auto a = AlgorithmOfHeader(AsciiLowercase(name))) sent->emplace_back(*a, value);
  }
}

Status CheckSingleChecksum(const std::vector<std::pair<ChecksumAlgorithm, std::string>>& sent) {
  if (sent.size() <= 1) return Status::Ok();
  return Status(ErrorCode::kInvalidRequest,
                "Expecting a single x-amz-checksum- header. Multiple checksum Types are not "
                "allowed.");
}

// The algorithm a request names apart from any value (`field`: x-amz-sdk-checksum-algorithm, or
// a POST form's x-amz-checksum-algorithm).
Result<std::optional<ChecksumAlgorithm>> NamedAlgorithm(std::optional<std::string_view> value,
                                                        std::string_view field) {
  if (!value) return std::optional<ChecksumAlgorithm>();
  auto a = ParseChecksumAlgorithm(*value);
  if (!a) {
    return Error(ErrorCode::kInvalidRequest,
                 "Value for " + std::string(field) + " header is invalid.");
  }
  return std::optional<ChecksumAlgorithm>(*a);
}

// Expects the one checksum value sent up front, which must agree with the algorithm named.
Status ExpectSentChecksum(const std::pair<ChecksumAlgorithm, std::string>& sent,
                          std::optional<ChecksumAlgorithm> named, std::string_view field,
                          IntegrityExpectations* expect) {
  const auto& [a, value] = sent;
  if (named && *named != a) {
    return Status(ErrorCode::kInvalidRequest,
                  "Value for " + std::string(field) +
                      " header is invalid: it names a different algorithm than the "
                      "x-amz-checksum- header.");
  }
  if (Status s = CheckChecksumValue(a, value); !s.ok()) return s;
  expect->algorithm = a;
  expect->checksum_base64 = value;
  return Status::Ok();
}

}  // namespace

Result<IntegrityExpectations> ReadIntegrityExpectations(const RequestContext& ctx) {
  IntegrityExpectations expect;
  if (Status s = ReadContentMd5(ctx.Header("content-md5"), &expect); !s.ok()) return s.error();
  if (ctx.auth.payload_mode == auth::PayloadMode::kSha256Literal) {
    expect.payload_sha256_hex = ctx.auth.payload_sha256_hex;
  }

  // Checksum values sent up front: headers, and for presigned URLs the query string.
  std::vector<std::pair<ChecksumAlgorithm, std::string>> sent;
  CollectChecksums(ctx.head().headers, &sent);
  if (ctx.auth.presigned) CollectChecksums(ctx.query.all(), &sent);
  if (Status s = CheckSingleChecksum(sent); !s.ok()) return s.error();

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

  constexpr std::string_view kSdkAlgorithm = "x-amz-sdk-checksum-algorithm";
  auto sdk_algorithm = NamedAlgorithm(ctx.SignedValue(kSdkAlgorithm), kSdkAlgorithm);
  if (!sdk_algorithm.ok()) return sdk_algorithm.error();

  if (!sent.empty()) {
    Status s = ExpectSentChecksum(sent.front(), *sdk_algorithm, kSdkAlgorithm, &expect);
    if (!s.ok()) return s.error();
  } else if (trailer_algorithm) {
    if (*sdk_algorithm && **sdk_algorithm != *trailer_algorithm) {
      return Error(ErrorCode::kInvalidRequest,
                   "x-amz-sdk-checksum-algorithm names a different algorithm than x-amz-trailer.");
    }
    expect.algorithm = trailer_algorithm;
    expect.checksum_in_trailer = true;
  } else if (*sdk_algorithm) {
    return Error(ErrorCode::kInvalidRequest,
                 "x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* "
                 "or x-amz-trailer headers were found.");
  }
  return expect;
}

Result<IntegrityExpectations> ReadFormIntegrityExpectations(
    const std::vector<std::pair<std::string, std::string>>& fields) {
  IntegrityExpectations expect;
  std::optional<std::string_view> md5;
  std::optional<std::string_view> algorithm;
  for (const auto& [name, value] : fields) {
    if (name == "content-md5" && !md5) md5 = value;
    if (name == "x-amz-checksum-algorithm" && !algorithm) algorithm = value;
  }
  if (Status s = ReadContentMd5(md5, &expect); !s.ok()) return s.error();
  std::vector<std::pair<ChecksumAlgorithm, std::string>> sent;
  CollectChecksums(fields, &sent);
  if (Status s = CheckSingleChecksum(sent); !s.ok()) return s.error();
  constexpr std::string_view kAlgorithmField = "x-amz-checksum-algorithm";
  auto named = NamedAlgorithm(algorithm, kAlgorithmField);
  if (!named.ok()) return named.error();
  if (!sent.empty()) {
    Status s = ExpectSentChecksum(sent.front(), *named, kAlgorithmField, &expect);
    if (!s.ok()) return s.error();
  } else {
    expect.algorithm = *named;  // computed and stored, with nothing to compare it to
  }
  return expect;
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
      return Error(ErrorCode::kBadDigest,
                   "The " + std::string(ChecksumAlgorithmName(a)) +
                       " you specified did not match the calculated checksum.");
    }
    out.checksums.emplace(std::string(ChecksumAlgorithmName(a)), std::move(actual));
  }
  return out;
}

}  // namespace cairn::s3
