// The one mapping from a storage engine's failure (ErrorCode::kStorage*, see common/status.h) to
// the S3 error a client is told. Engines say what went wrong in their own terms; what that means
// for a client (507, 503 with Retry-After, 500) is decided here and nowhere else, and the engine's
// detail (errno text, SQLite's message, paths) never reaches the client: the caller logs it.
#pragma once

#include <chrono>

#include "common/status.h"

namespace cairn::core {

// What a client is told of `error`. A storage failure becomes its S3 error with the table's
// default message (the detail is dropped: log `error` itself first); an S3 error is returned
// unchanged, so mapping twice is harmless.
//   kStorageNoSpace                              -> InsufficientStorage (507)
//   kStorageBusy, kStorageUnavailable,
//   kStorageConflict                             -> SlowDown (503), with RetryAfter()
//   kStorageIOError, kStorageCorruption,
//   kStorageNotFound, kStorageAlreadyExists      -> InternalError (500)
Error ToClientError(const Error& error);

// The Retry-After a client answered for `error` should get: a second for a storage failure that
// the same request can outlive (busy, unavailable, conflict), zero for everything else.
std::chrono::seconds RetryAfter(const Error& error);

}  // namespace cairn::core
