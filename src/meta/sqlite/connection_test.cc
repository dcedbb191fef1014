// What a failed SQLite call tells its caller: the storage failure for SQLite's result code, with
// SQLite's words for the log, and whether a failed COMMIT may have committed after all.
#include "meta/sqlite/connection.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace cairn::meta::sqlite {
namespace {

TEST(SqliteErrorTest, EachResultCodeIsItsStorageFailure) {
  const struct {
    int rc;
    ErrorCode code;
  } kCases[] = {
      {SQLITE_BUSY, ErrorCode::kStorageBusy},
      {SQLITE_BUSY_TIMEOUT, ErrorCode::kStorageBusy},
      {SQLITE_LOCKED, ErrorCode::kStorageBusy},
      {SQLITE_BUSY_SNAPSHOT, ErrorCode::kStorageConflict},
      {SQLITE_FULL, ErrorCode::kStorageNoSpace},
      {SQLITE_IOERR, ErrorCode::kStorageIOError},
      {SQLITE_IOERR_FSYNC, ErrorCode::kStorageIOError},
      {SQLITE_CORRUPT, ErrorCode::kStorageCorruption},
      {SQLITE_NOTADB, ErrorCode::kStorageCorruption},
      {SQLITE_CANTOPEN, ErrorCode::kStorageUnavailable},
      {SQLITE_CONSTRAINT_PRIMARYKEY, ErrorCode::kStorageAlreadyExists},
      {SQLITE_CONSTRAINT_UNIQUE, ErrorCode::kStorageAlreadyExists},
      {SQLITE_CONSTRAINT_TRIGGER, ErrorCode::kStorageIOError},
      {SQLITE_ERROR, ErrorCode::kStorageIOError},
  };
  for (const auto& c : kCases) {
    const Status s = SqliteError(nullptr, c.rc, "COMMIT");
    EXPECT_EQ(s.code(), c.code) << sqlite3_errstr(c.rc);
    EXPECT_EQ(s.error().message, "sqlite: COMMIT: " + std::string(sqlite3_errstr(c.rc)));
    EXPECT_FALSE(s.error().outcome_unknown);
  }
}

TEST(SqliteErrorTest, OnlyAnIoErrorOfACommitLeavesItsOutcomeUnknown) {
  EXPECT_TRUE(CommitOutcome(Status::Ok()).ok());
  const Status io = CommitOutcome(SqliteError(nullptr, SQLITE_IOERR_FSYNC, "COMMIT"));
  EXPECT_EQ(io.code(), ErrorCode::kStorageIOError);
  EXPECT_TRUE(io.error().outcome_unknown) << "the WAL may hold the commit record";
  EXPECT_EQ(io.error().message, SqliteError(nullptr, SQLITE_IOERR_FSYNC, "COMMIT").error().message);
  // BUSY leaves the transaction open and FULL rolls it back: known not to have committed.
  for (int rc : {SQLITE_BUSY, SQLITE_FULL}) {
    EXPECT_FALSE(CommitOutcome(SqliteError(nullptr, rc, "COMMIT")).error().outcome_unknown) << rc;
  }
}

class ConnectionErrorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/connection-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string dir_;
};

TEST_F(ConnectionErrorTest, AWriteLockHeldPastTheBusyTimeoutIsBusy) {
  Connection::Options options;
  options.durable = false;
  options.busy_timeout_ms = 50;
  auto holder = Connection::Open(dir_ + "/db", options);
  auto waiter = Connection::Open(dir_ + "/db", options);
  ASSERT_TRUE(holder.ok() && waiter.ok());
  Transaction held(**holder);
  ASSERT_TRUE(held.Begin(Transaction::Mode::kImmediate).ok());
  Transaction blocked(**waiter);
  const Status s = blocked.Begin(Transaction::Mode::kImmediate);
  EXPECT_EQ(s.code(), ErrorCode::kStorageBusy);
  EXPECT_NE(s.error().message.find("database is locked"), std::string::npos) << s.error().message;
}

TEST_F(ConnectionErrorTest, AFileThatCannotBeOpenedIsUnavailable) {
  auto opened = Connection::Open(dir_ + "/no-such-dir/db", Connection::Options{});
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kStorageUnavailable) << opened.error().message;
}

TEST_F(ConnectionErrorTest, AFileThatIsNotADatabaseIsCorruption) {
  std::ofstream(dir_ + "/db") << std::string(4096, 'x');
  auto opened = Connection::Open(dir_ + "/db", Connection::Options{});
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kStorageCorruption) << opened.error().message;
}

}  // namespace
}  // namespace cairn::meta::sqlite
