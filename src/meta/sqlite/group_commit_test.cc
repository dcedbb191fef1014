// Group commit: writes that arrive together share one commit, each write's failure stays its own,
// and a write is acknowledged only once its transaction is committed.
#include "meta/sqlite/group_commit.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>
#include <vector>

namespace cairn::meta::sqlite {
namespace {

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/group-commit-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::create_directories(dir_);
    Connection::Options options;
    options.durable = true;  // real fsyncs: the reason writes pile up behind a commit
    writer_ = std::move(*Connection::Open(dir_ + "/db", options));
    ASSERT_TRUE(writer_->Exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)").ok());
    options.read_only = true;
    reader_ = std::move(*Connection::Open(dir_ + "/db", options));
  }
  void TearDown() override {
    reader_.reset();
    writer_.reset();
    std::filesystem::remove_all(dir_);
  }

  Status Insert(int64_t k) {
    Result<Stmt> stmt = writer_->Prepare("INSERT INTO t (k, v) VALUES (?1, 'x')");
    if (!stmt.ok()) return stmt.status();
    stmt->BindInt(1, k);
    return stmt->Run();
  }
  int64_t Rows() { return *reader_->QueryInt("SELECT count(*) FROM t"); }

  std::string dir_;
  std::unique_ptr<Connection> writer_;
  std::unique_ptr<Connection> reader_;
};

TEST_F(GroupCommitTest, ConcurrentWritesShareCommitsAndAllLand) {
  GroupCommitter committer(*writer_);
  constexpr int kThreads = 16;
  constexpr int kEach = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const int64_t k = t * 1000 + i;
        ASSERT_TRUE(committer.Write([&] { return Insert(k); }).ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(Rows(), kThreads * kEach);
  EXPECT_EQ(committer.writes(), static_cast<size_t>(kThreads * kEach));
  EXPECT_LT(committer.batches(), committer.writes()) << "no two writes ever shared a commit";
}

TEST_F(GroupCommitTest, AnAcknowledgedWriteIsCommitted) {
  GroupCommitter committer(*writer_);
  for (int64_t k = 1; k <= 3; ++k) {
    ASSERT_TRUE(committer.Write([&] { return Insert(k); }).ok());
    EXPECT_EQ(Rows(), k);
  }
}

TEST_F(GroupCommitTest, AFailedWriteRollsBackOnlyItself) {
  GroupCommitter committer(*writer_);
  ASSERT_TRUE(committer.Write([&] { return Insert(1); }).ok());
  // Half done, then refused: its first insert must not survive.
  Status refused = committer.Write([&]() -> Status {
    if (Status s = Insert(2); !s.ok()) return s;
    return Status(ErrorCode::kPreconditionFailed);
  });
  EXPECT_EQ(refused.code(), ErrorCode::kPreconditionFailed);
  // A duplicate key fails inside SQLite; the savepoint rollback keeps the transaction usable.
  EXPECT_FALSE(committer.Write([&] { return Insert(1); }).ok());
  EXPECT_TRUE(committer.Write([&] { return Insert(3); }).ok());
  EXPECT_EQ(Rows(), 2);
  EXPECT_EQ(*reader_->QueryInt("SELECT count(*) FROM t WHERE k = 2"), 0);
}

TEST_F(GroupCommitTest, AnExceptionReachesItsCallerAndRollsBack) {
  GroupCommitter committer(*writer_);
  EXPECT_THROW(committer.Write([&]() -> Status {
    (void)Insert(7);
    throw std::runtime_error("condition threw");
  }),
               std::runtime_error);
  EXPECT_EQ(*reader_->QueryInt("SELECT count(*) FROM t WHERE k = 7"), 0);
  EXPECT_TRUE(committer.Write([&] { return Insert(8); }).ok());
  EXPECT_EQ(Rows(), 1);
}

}  // namespace
}  // namespace cairn::meta::sqlite
