#include "core/storage_errors.h"

namespace cairn::core {
namespace {

// The S3 answer to a storage failure; `code` itself for an S3 code.
ErrorCode ClientCode(ErrorCode code) {
  switch (code) {
    case ErrorCode::kStorageNoSpace:
      return ErrorCode::kInsufficientStorage;
    // The engine works but cannot take this request now: a lock held past the busy timeout, an
    // engine that is down or restarting. The client's retry can succeed, so it is told to slow
    // down and come back rather than that the server broke.
    case ErrorCode::kStorageBusy:
    case ErrorCode::kStorageUnavailable:
    // A serialization conflict: another writer changed what this request read. Nothing is wrong
    // with the request or the server, and running it again (against the new state) succeeds, so
    // it is a retryable 503 too. Not 409 ConditionalRequestConflict: that answers a client's own
    // condition, and this client asked for none.
    case ErrorCode::kStorageConflict:
      return ErrorCode::kSlowDown;
    // A reference to something missing, a name collision the engine should have ruled out, a
    // failed device, damaged data: the server is at fault and a retry is not known to help.
    case ErrorCode::kStorageNotFound:
    case ErrorCode::kStorageAlreadyExists:
    case ErrorCode::kStorageIOError:
    case ErrorCode::kStorageCorruption:
      return ErrorCode::kInternalError;
    default:
      return code;
  }
}

}  // namespace

Error ToClientError(const Error& error) {
  if (!IsStorageError(error.code)) return error;
  return Error(ClientCode(error.code));
}

std::chrono::seconds RetryAfter(const Error& error) {
  const bool retryable =
      IsStorageError(error.code) && ClientCode(error.code) == ErrorCode::kSlowDown;
  // One second: the engine has already waited (SQLite's busy timeout) before giving up, and SDKs
  // add their own backoff to what they are told.
  return std::chrono::seconds(retryable ? 1 : 0);
}

}  // namespace cairn::core
