#include "s3/r2_binding/binding_errors.h"

#include <nlohmann/json.hpp>

namespace cairn::s3::binding {
namespace {

struct Row {
  ErrorCode code;
  int status;  // 0: the S3 status
  uint32_t v4code;
};

// R2's v4 codes. NoSuchUpload is 400 here, not S3's 404: a 404 tells workerd "no such object"
// when it carries 10007, and no multipart call may answer that (§1.5).
constexpr Row kRows[] = {
    {ErrorCode::kInternalError, 0, 10001},
    {ErrorCode::kInvalidAccessKeyId, 401, 10002},
    {ErrorCode::kAccessDenied, 0, 10003},
    {ErrorCode::kInvalidBucketName, 0, 10005},
    {ErrorCode::kNoSuchBucket, 0, 10006},
    {ErrorCode::kNoSuchKey, 404, kNoSuchKeyCode},
    {ErrorCode::kEntityTooSmall, 0, 10011},
    {ErrorCode::kMetadataTooLarge, 0, 10012},
    {ErrorCode::kInvalidDigest, 0, 10014},
    {ErrorCode::kKeyTooLongError, 0, 10020},
    {ErrorCode::kNoSuchUpload, 400, 10024},
    {ErrorCode::kInvalidPart, 0, 10025},
    {ErrorCode::kInvalidPartOrder, 400, 10025},
    {ErrorCode::kPreconditionFailed, 412, kPreconditionFailedCode},
    {ErrorCode::kSignatureDoesNotMatch, 0, 10035},
    {ErrorCode::kBadDigest, 0, 10037},
    {ErrorCode::kInvalidRange, 416, 10039},
    {ErrorCode::kInvalidStorageClass, 0, 10040},
    {ErrorCode::kEntityTooLarge, 0, 100100},
};

}  // namespace

BindingError ToBindingError(const Error& error) {
  const ErrorInfo& info = LookupError(error.code);
  BindingError out{info.http_status, info.http_status >= 500 ? 10001u : 10029u,
                   std::string(error.Message())};
  for (const Row& row : kRows) {
    if (row.code != error.code) continue;
    if (row.status != 0) out.status = row.status;
    out.v4code = row.v4code;
  }
  return out;
}

std::string ErrorHeaderValue(const BindingError& error) {
  nlohmann::json doc = {{"version", 1}, {"v4code", error.v4code}, {"message", error.message}};
  return doc.dump(-1, ' ', /*ensure_ascii=*/true, nlohmann::json::error_handler_t::replace);
}

}  // namespace cairn::s3::binding
