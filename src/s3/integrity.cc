#include "s3/integrity.h"

#include "common/ascii.h"
#include "common/encoding.h"

namespace cairn::s3 {
namespace {

using core::CheckChecksumValue;

constexpr std::string_view kChecksumPrefix = "x-amz-checksum-";

std::optional<ChecksumAlgorithm> AlgorithmOfHeader(std::string_view lowercase_name) {
  if (!lowercase_name.starts_with(kChecksumPrefix)) return std::nullopt;
  std::string_view suffix = lowercase_name.substr(kChecksumPrefix.size());
  if (suffix == "mode" || suffix == "type" || suffix == "algorithm") return std::nullopt;
  return ParseChecksumAlgorithm(suffix);
}

// Content-MD5: base64 of 16 bytes, else InvalidDigest.
Status ReadContentMd5(std::optional<std::string_view> value, core::IntegrityExpectations* expect) {
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
                          core::IntegrityExpectations* expect) {
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

Result<core::IntegrityExpectations> ReadIntegrityExpectations(const RequestContext& ctx,
                                                              ChecksumHeaders headers) {
  const bool of_the_body = headers == ChecksumHeaders::kOfTheBody;
  core::IntegrityExpectations expect;
  if (Status s = ReadContentMd5(ctx.Header("content-md5"), &expect); !s.ok()) return s.error();
  if (ctx.auth.payload_mode == auth::PayloadMode::kSha256Literal) {
    expect.payload_sha256_hex = ctx.auth.payload_sha256_hex;
  }

  // Checksum values sent up front: headers, and for presigned URLs the query string.
  std::vector<std::pair<ChecksumAlgorithm, std::string>> sent;
  if (of_the_body) {
    CollectChecksums(ctx.head().headers, &sent);
    if (ctx.auth.presigned) CollectChecksums(ctx.query.all(), &sent);
  }
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
  auto sdk_algorithm = NamedAlgorithm(
      of_the_body || trailer_algorithm.has_value() ? ctx.SignedValue(kSdkAlgorithm) : std::nullopt,
      kSdkAlgorithm);
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

Result<std::optional<core::ExpectedChecksum>> ReadExpectedObjectChecksum(
    const RequestContext& ctx) {
  std::vector<std::pair<ChecksumAlgorithm, std::string>> sent;
  CollectChecksums(ctx.head().headers, &sent);
  if (ctx.auth.presigned) CollectChecksums(ctx.query.all(), &sent);
  if (Status s = CheckSingleChecksum(sent); !s.ok()) return s.error();
  if (sent.empty()) return std::optional<core::ExpectedChecksum>();
  return std::optional<core::ExpectedChecksum>(
      core::ExpectedChecksum{sent.front().first, std::move(sent.front().second)});
}

Result<core::IntegrityExpectations> ReadFormIntegrityExpectations(
    const std::vector<std::pair<std::string, std::string>>& fields) {
  core::IntegrityExpectations expect;
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

}  // namespace cairn::s3
