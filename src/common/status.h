// Errors as values: one ErrorCode enum for every S3 error cairn can answer, and Status/Result to
// carry them. The table that maps each code to its S3 `Code`, HTTP status and default message lives
// in error_table.cc, so there is exactly one place that says what a client sees.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace cairn {

enum class ErrorCode {
  kAccessDenied,
  kAccessForbidden,
  kAuthorizationHeaderMalformed,
  kAuthorizationQueryParametersError,
  kBadDigest,
  kBucketAlreadyExists,
  kBucketAlreadyOwnedByYou,
  kBucketNotEmpty,
  kConditionalRequestConflict,
  kEntityTooLarge,
  kEntityTooSmall,
  kExpiredToken,
  kIncompleteBody,
  kIncorrectNumberOfFilesInPostRequest,
  kInsufficientStorage,
  kInternalError,
  kInvalidAccessKeyId,
  kInvalidArgument,
  kInvalidBucketName,
  kInvalidChunkSizeError,
  kInvalidDigest,
  kInvalidObjectState,
  kInvalidPart,
  kInvalidPartNumber,
  kInvalidPartOrder,
  kInvalidPolicyDocument,
  kInvalidRange,
  kInvalidRequest,
  kInvalidStorageClass,
  kInvalidToken,
  kKeyTooLongError,
  kMalformedPOSTRequest,
  kMalformedXML,
  kMaxPostPreDataLengthExceededError,
  kMetadataTooLarge,
  kMethodNotAllowed,
  kMissingContentLength,
  kMissingSecurityHeader,
  kNoSuchBucket,
  kNoSuchCORSConfiguration,
  kNoSuchEntity,
  kNoSuchKey,
  kNoSuchLifecycleConfiguration,
  kNoSuchUpload,
  kNotImplemented,
  kNotModified,
  kPreconditionFailed,
  kRequestHeaderSectionTooLarge,
  kRequestTimeTooSkewed,
  kRequestTimeout,
  kSignatureDoesNotMatch,
  kSlowDown,
  kXAmzContentSHA256Mismatch,
  kCount,  // not an error: the number of codes, for the table's completeness test
};

struct ErrorInfo {
  std::string_view code;     // the S3 `Code` element, e.g. "NoSuchKey"
  int http_status;           // e.g. 404
  std::string_view message;  // the default `Message` when the caller gives none
};

// The table row for `code`. Every ErrorCode but kCount has exactly one row.
const ErrorInfo& LookupError(ErrorCode code);

// An S3 error: a code and a message that tells the client what was wrong with its request.
struct Error {
  ErrorCode code = ErrorCode::kInternalError;
  std::string message;  // empty: the table's default message

  Error() = default;
  Error(ErrorCode c, std::string m = {}) : code(c), message(std::move(m)) {}
  std::string_view Message() const {
    return message.empty() ? LookupError(code).message : std::string_view(message);
  }
};

// Success or an Error. Cheap to pass around; check with ok().
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error e) : error_(std::move(e)), ok_(false) {}
  Status(ErrorCode c, std::string m = {}) : error_(c, std::move(m)), ok_(false) {}
  static Status Ok() { return Status(); }

  bool ok() const { return ok_; }
  const Error& error() const { return error_; }
  ErrorCode code() const { return error_.code; }

 private:
  Error error_;
  bool ok_ = true;
};

// A value or an Error.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error e) : v_(std::move(e)) {}
  Result(ErrorCode c, std::string m = {}) : v_(Error(c, std::move(m))) {}
  Result(Status s) : v_(s.error()) {}  // only for a failed Status

  bool ok() const { return v_.index() == 0; }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  const Error& error() const { return std::get<1>(v_); }
  Status status() const { return ok() ? Status() : Status(error()); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace cairn
