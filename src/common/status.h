// Errors as values: one ErrorCode enum for every S3 error cairn can answer and for the failures of
// its storage engines, and Status/Result to carry them. The table that maps each S3 code to its
// `Code`, HTTP status and default message lives in error_table.cc, and core/storage_errors.h maps
// each storage failure to one of those, so there is exactly one place that says what a client
// sees.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace cairn {

enum class ErrorCode {
  kAccessControlListNotSupported,
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

  // Storage failures: what an engine (blob/*, meta/*) returns when the engine itself fails, with
  // the detail (errno text, SQLite's message) in Error::message for the server log. They are not
  // S3 errors: core::ToClientError maps each to the S3 error a client is told, with the table's
  // message, and every renderer goes through it. A MetaStore's domain answers (NoSuchBucket,
  // NoSuchKey, NoSuchUpload, BucketNotEmpty, BucketAlreadyOwnedByYou, PreconditionFailed from a
  // write condition) stay S3 codes: they are its contract, not failures.
  kStorageNotFound,       // what the caller named is not there: a blob a record points at
  kStorageAlreadyExists,  // what the engine was to create exists already (a blob id, a unique row)
  kStorageConflict,       // a concurrent change made this one fail; retrying can succeed
  kStorageBusy,           // the engine is locked by other work past its wait (SQLITE_BUSY)
  kStorageNoSpace,        // the medium is full (ENOSPC, EDQUOT, SQLITE_FULL)
  kStorageIOError,        // the engine failed: EIO, and any failure without a code of its own
  kStorageCorruption,     // what is stored is damaged (SQLITE_CORRUPT, a record that won't parse)
  kStorageUnavailable,    // the engine cannot be reached or opened (SQLITE_CANTOPEN, a power cut)
  kCount,                 // not an error: the number of codes, for the table's completeness test
};

struct ErrorInfo {
  std::string_view code;     // the S3 `Code` element, e.g. "NoSuchKey"
  int http_status;           // e.g. 404
  std::string_view message;  // the default `Message` when the caller gives none
};

// The table row for `code`. Every ErrorCode but kCount has exactly one row.
const ErrorInfo& LookupError(ErrorCode code);

constexpr bool IsStorageError(ErrorCode code) {
  return code >= ErrorCode::kStorageNotFound && code < ErrorCode::kCount;
}

// An error: an S3 code and a message that tells the client what was wrong with its request, or a
// storage failure and its detail for the log.
struct Error {
  ErrorCode code = ErrorCode::kInternalError;
  std::string message;  // empty: the table's default message
  // Set by an engine on a failed write whose effect may or may not have been made durable: a
  // COMMIT whose I/O failed after the commit record was written, a connection lost after COMMIT
  // was sent. The caller must treat the write as possibly done: never delete what it may now
  // reference (a new blob is left to the orphan sweep instead). False on a failed write means it
  // took no effect.
  bool outcome_unknown = false;

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
