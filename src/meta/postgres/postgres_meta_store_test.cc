// Runs the shared MetaStore suite against PostgreSQL (a real server, test_server.h), plus what
// only this engine has: the schema version table, reopening, and an unreachable server.
#include "meta/postgres/postgres_meta_store.h"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <thread>

#include "meta/meta_store_suite.h"
#include "meta/postgres/connection.h"
#include "meta/postgres/pool.h"
#include "meta/postgres/schema.h"
#include "meta/postgres/test_server.h"

namespace cairn::meta {
namespace {

std::unique_ptr<MetaStore> OpenOn(const std::string& uri) {
  Result<std::unique_ptr<MetaStore>> store = OpenPostgresMetaStore(uri);
  EXPECT_TRUE(store.ok()) << store.error().Message();
  return store.ok() ? std::move(*store) : nullptr;
}

std::unique_ptr<MetaStore> OpenForSuite(const std::string&) {
  Result<std::string> uri = postgres::testing::FreshDatabase();
  EXPECT_TRUE(uri.ok()) << "PostgreSQL test server: " << uri.error().Message();
  return uri.ok() ? OpenOn(*uri) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(Postgres, MetaStoreSuite,
                         ::testing::Values(MetaStoreEngine{"postgres", OpenForSuite}),
                         MetaStoreEngineName);

class PostgresMetaStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::string> uri = postgres::testing::FreshDatabase();
    ASSERT_TRUE(uri.ok()) << "PostgreSQL test server: " << uri.error().Message();
    uri_ = *uri;
  }

  // A raw connection to the store's schema.
  std::unique_ptr<postgres::Connection> Raw() {
    Result<std::unique_ptr<postgres::Connection>> c = postgres::Connection::Open(uri_);
    EXPECT_TRUE(c.ok()) << c.error().Message();
    return c.ok() ? std::move(*c) : nullptr;
  }

  std::string uri_;
};

TEST_F(PostgresMetaStoreTest, OpeningRecordsTheSchemaVersion) {
  ASSERT_NE(OpenOn(uri_), nullptr);
  Result<postgres::Rows> rows = Raw()->Exec("SELECT version FROM cairn_schema");
  ASSERT_TRUE(rows.ok()) << rows.error().Message();
  ASSERT_EQ(rows->size(), 1);
  EXPECT_EQ(rows->Int(0, 0), postgres::LatestSchemaVersion());
}

TEST_F(PostgresMetaStoreTest, ReopeningKeepsTheData) {
  {
    std::unique_ptr<MetaStore> store = OpenOn(uri_);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->CreateBucket(core::BucketRecord{"b", TimePoint(), "auto"}).ok());
  }
  std::unique_ptr<MetaStore> store = OpenOn(uri_);
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->GetBucket("b").ok());
}

TEST_F(PostgresMetaStoreTest, RefusesASchemaNewerThanItKnows) {
  ASSERT_NE(OpenOn(uri_), nullptr);
  ASSERT_TRUE(Raw()->ExecScript("UPDATE cairn_schema SET version = version + 1").ok());
  Result<std::unique_ptr<MetaStore>> store = OpenPostgresMetaStore(uri_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kStorageUnavailable);
  EXPECT_NE(store.error().message.find("newer"), std::string::npos) << store.error().message;
}

TEST_F(PostgresMetaStoreTest, ReconnectsWhenItsSessionsAreKilled) {
  // A name for this store's sessions, so that only they are killed.
  std::unique_ptr<MetaStore> store = OpenOn(uri_ + "&application_name=victim");
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateBucket(core::BucketRecord{"b", TimePoint(), "auto"}).ok());
  Result<postgres::Rows> killed = Raw()->Exec(
      "SELECT count(pg_terminate_backend(pid))::int8 FROM pg_stat_activity "
      "WHERE application_name = 'victim'");
  ASSERT_TRUE(killed.ok()) << killed.error().Message();
  ASSERT_GT(killed->Int(0, 0), 0);
  // Reads and writes go on, on new sessions (the server restarting looks the same to a gateway).
  Result<core::BucketRecord> bucket = store->GetBucket("b");
  EXPECT_TRUE(bucket.ok()) << bucket.error().Message();
  core::ObjectRecord object;
  object.bucket = "b";
  object.key = "k";
  object.etag = "\"e\"";
  Result<std::vector<std::string>> put = store->PutObject(object);
  EXPECT_TRUE(put.ok()) << put.error().Message();
  EXPECT_TRUE(store->GetObject("b", "k").ok());
}

TEST_F(PostgresMetaStoreTest, OneObjectIsFoundThroughTheIndexWhateverTheTablesSize) {
  // GET, HEAD and every write look one object up, joined with its bucket's row. Joined on
  // buckets.name (COLLATE "C", objects.bucket is not), the lookup once lost objects' primary key:
  // a sequential scan of every object of every bucket per request. Checked in the server's own
  // counters of the table's scans.
  {
    std::unique_ptr<MetaStore> store = OpenOn(uri_);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->CreateBucket(core::BucketRecord{"b", TimePoint(), "auto"}).ok());
  }
  std::unique_ptr<postgres::Connection> raw = Raw();
  ASSERT_TRUE(raw->ExecScript("INSERT INTO objects (bucket, key, size, etag, last_modified_ms) "
                              "SELECT 'b', convert_to('k' || g, 'UTF8'), 0, '\"e\"', 0 "
                              "FROM generate_series(1, 20000) g; ANALYZE objects")
                  .ok());
  const auto scans = [&raw]() -> std::pair<int64_t, int64_t> {
    Result<postgres::Rows> rows = raw->Exec(
        "SELECT seq_scan::int8, coalesce(idx_scan, 0)::int8 FROM pg_stat_user_tables "
        "WHERE relid = 'objects'::regclass");
    EXPECT_TRUE(rows.ok() && rows->size() == 1);
    return rows.ok() && rows->size() == 1 ? std::pair{rows->Int(0, 0), rows->Int(0, 1)}
                                          : std::pair<int64_t, int64_t>{-1, -1};
  };
  const auto [seq_before, index_before] = scans();
  constexpr int kLookups = 10;  // past the 5 custom plans of a prepared statement
  {
    std::unique_ptr<MetaStore> store = OpenOn(uri_);
    ASSERT_NE(store, nullptr);
    for (int i = 0; i < kLookups; ++i) {
      EXPECT_TRUE(store->GetObject("b", "k" + std::to_string(i + 1)).ok());
      EXPECT_EQ(store->GetObject("b", "missing" + std::to_string(i)).error().code,
                ErrorCode::kNoSuchKey);
    }
  }
  // A session's counts reach the server's when it ends, shortly after the store closed it.
  std::pair<int64_t, int64_t> after = scans();
  for (int i = 0; i < 100 && after.first == seq_before && after.second < index_before + kLookups;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    after = scans();
  }
  EXPECT_EQ(after.first, seq_before) << "sequential scans of objects";
  EXPECT_GE(after.second, index_before + 2 * kLookups) << "index scans of objects";
}

TEST_F(PostgresMetaStoreTest, AWriteThatWaitsPastTheStatementTimeoutIsBusy) {
  PostgresOptions options;
  options.statement_timeout = std::chrono::milliseconds(200);
  Result<std::unique_ptr<MetaStore>> store = OpenPostgresMetaStore(uri_, options);
  ASSERT_TRUE(store.ok()) << store.error().Message();
  ASSERT_TRUE((*store)->CreateBucket(core::BucketRecord{"b", TimePoint(), "auto"}).ok());
  // Another session holds the bucket's row, as a concurrent DeleteBucket would.
  std::unique_ptr<postgres::Connection> holder = Raw();
  ASSERT_TRUE(holder->ExecScript("BEGIN; SELECT 1 FROM buckets WHERE name = 'b' FOR UPDATE").ok());
  Status s = (*store)->DeleteBucket("b");
  EXPECT_EQ(s.code(), ErrorCode::kStorageBusy) << s.error().Message();
  ASSERT_TRUE(holder->ExecScript("ROLLBACK").ok());
  EXPECT_TRUE((*store)->DeleteBucket("b").ok());
}

TEST_F(PostgresMetaStoreTest, ACallThatFindsThePoolBusyPastItsWaitIsBusy) {
  Result<std::unique_ptr<postgres::ConnectionPool>> pool =
      postgres::ConnectionPool::Open(uri_, 1, {}, std::chrono::milliseconds(200));
  ASSERT_TRUE(pool.ok()) << pool.error().Message();
  std::optional<postgres::ConnectionPool::Lease> held;
  {
    Result<postgres::ConnectionPool::Lease> first = (*pool)->Acquire();
    ASSERT_TRUE(first.ok());
    held.emplace(std::move(*first));
  }
  const auto started = std::chrono::steady_clock::now();
  Result<postgres::ConnectionPool::Lease> refused = (*pool)->Acquire();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kStorageBusy);  // 503 SlowDown
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(200));
  held.reset();
  EXPECT_TRUE((*pool)->Acquire().ok());
}

TEST(PostgresMetaStore, AnUnreachableServerIsStorageUnavailable) {
  // Port 1 on loopback: nothing listens there.
  Result<std::unique_ptr<MetaStore>> store =
      OpenPostgresMetaStore("postgresql://cairn@127.0.0.1:1/postgres?connect_timeout=2");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kStorageUnavailable);
}

}  // namespace
}  // namespace cairn::meta
