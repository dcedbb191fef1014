#include "core/storage_errors.h"

#include <gtest/gtest.h>

namespace cairn::core {
namespace {

using std::chrono::seconds;

struct Mapping {
  ErrorCode storage;
  ErrorCode client;
  seconds retry_after;
};

// Every storage code, with the S3 error the mapping gives it.
constexpr Mapping kMappings[] = {
    {ErrorCode::kStorageNotFound, ErrorCode::kInternalError, seconds(0)},
    {ErrorCode::kStorageAlreadyExists, ErrorCode::kInternalError, seconds(0)},
    {ErrorCode::kStorageConflict, ErrorCode::kSlowDown, seconds(1)},
    {ErrorCode::kStorageBusy, ErrorCode::kSlowDown, seconds(1)},
    {ErrorCode::kStorageNoSpace, ErrorCode::kInsufficientStorage, seconds(0)},
    {ErrorCode::kStorageIOError, ErrorCode::kInternalError, seconds(0)},
    {ErrorCode::kStorageCorruption, ErrorCode::kInternalError, seconds(0)},
    {ErrorCode::kStorageUnavailable, ErrorCode::kSlowDown, seconds(1)},
};

TEST(StorageErrorsTest, EveryStorageCodeHasItsS3AnswerAndLosesItsDetail) {
  int storage_codes = 0;
  for (int i = 0; i < static_cast<int>(ErrorCode::kCount); ++i) {
    storage_codes += IsStorageError(static_cast<ErrorCode>(i)) ? 1 : 0;
  }
  ASSERT_EQ(storage_codes, static_cast<int>(std::size(kMappings))) << "a storage code is untested";
  for (const Mapping& m : kMappings) {
    const Error failure(m.storage, "write /data/tmp/00ff.tmp: Input/output error");
    const Error shown = ToClientError(failure);
    EXPECT_EQ(shown.code, m.client) << LookupError(m.storage).code;
    EXPECT_FALSE(IsStorageError(shown.code));
    EXPECT_EQ(shown.Message(), LookupError(m.client).message) << LookupError(m.storage).code;
    EXPECT_EQ(RetryAfter(failure), m.retry_after) << LookupError(m.storage).code;
  }
  EXPECT_EQ(LookupError(ToClientError(Error(ErrorCode::kStorageNoSpace)).code).http_status, 507);
  EXPECT_EQ(LookupError(ToClientError(Error(ErrorCode::kStorageBusy)).code).http_status, 503);
  EXPECT_EQ(LookupError(ToClientError(Error(ErrorCode::kStorageIOError)).code).http_status, 500);
}

TEST(StorageErrorsTest, OutcomeUnknownDoesNotChangeTheAnswer) {
  Error failure(ErrorCode::kStorageIOError, "sqlite: COMMIT: disk I/O error");
  failure.outcome_unknown = true;
  EXPECT_EQ(ToClientError(failure).code, ErrorCode::kInternalError);
}

TEST(StorageErrorsTest, S3ErrorsPassThroughUnchanged) {
  for (const Error& error : {Error(ErrorCode::kNoSuchKey), Error(ErrorCode::kInternalError, "x"),
                             Error(ErrorCode::kSlowDown),
                             Error(ErrorCode::kInvalidArgument, "x-amz-meta-a is too long")}) {
    const Error shown = ToClientError(error);
    EXPECT_EQ(shown.code, error.code);
    EXPECT_EQ(shown.message, error.message);
    EXPECT_EQ(RetryAfter(error), seconds(0)) << "a SlowDown of its own carries its own wait";
  }
}

}  // namespace
}  // namespace cairn::core
