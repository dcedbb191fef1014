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

TEST_F(PostgresMetaStoreTest, RequestsReadOnlyTheirOwnObjectsRows) {
  // Beside a bucket of 5,000 objects, requests on another bucket read none of its rows: every
  // statement finds its rows through an index (checked in the server's own counters of the
  // table). The one-object lookup (GET, HEAD, the old row of every write) once joined on
  // buckets.name, which is COLLATE "C" while objects.bucket is not: no index applied, and every
  // request read every object of every bucket.
  std::unique_ptr<postgres::Connection> raw = Raw();
  // A session's counts reach the server's statistics when it ends, shortly after the store
  // closed it.
  const auto wait_for_the_end_of = [&raw](const std::string& application) {
    for (int i = 0; i < 100; ++i) {
      Result<postgres::Rows> rows =
          raw->Exec("SELECT count(*)::int8 FROM pg_stat_activity WHERE application_name = $1",
                    postgres::Params().Text(application));
      ASSERT_TRUE(rows.ok()) << rows.error().Message();
      if (rows->Int(0, 0) == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // their last flush
  };
  // The sequential scans of `objects`, and the rows read from it by either kind of scan.
  const auto scans = [&raw]() -> std::pair<int64_t, int64_t> {
    Result<postgres::Rows> rows = raw->Exec(
        "SELECT seq_scan::int8, (seq_tup_read + coalesce(idx_tup_fetch, 0))::int8 "
        "FROM pg_stat_user_tables WHERE relid = 'objects'::regclass");
    EXPECT_TRUE(rows.ok() && rows->size() == 1);
    return rows.ok() && rows->size() == 1 ? std::pair{rows->Int(0, 0), rows->Int(0, 1)}
                                          : std::pair<int64_t, int64_t>{-1, -1};
  };
  // The schema first (building an index reads its table once), then the other bucket.
  ASSERT_NE(OpenOn(uri_ + "&application_name=schema"), nullptr);
  ASSERT_TRUE(
      raw->ExecScript(
             "INSERT INTO buckets (name, created_ms, location) VALUES ('other', 0, 'auto'); "
             "INSERT INTO objects (bucket, key, size, etag, last_modified_ms) SELECT "
             "'other', convert_to('k' || g, 'UTF8'), 0, 'e', 0 FROM generate_series(1, 5000) "
             "g; ANALYZE objects")
          .ok());
  wait_for_the_end_of("schema");
  const auto [seq_before, read_before] = scans();

  core::ObjectRecord object;
  object.bucket = "b";
  object.etag = "e";
  object.size = 10;
  core::UploadRecord upload;
  upload.bucket = "b";
  upload.key = "multi";
  core::PartRecord part;
  part.part_number = 1;
  part.etag = "p";
  part.size = 10;
  part.extents = {{"part-blob", 0, 10}};
  const MetaStore::CompleteBuilder build = [&object](const core::UploadRecord& u,
                                                     const std::vector<core::PartRecord>& parts) {
    core::ObjectRecord o = object;
    o.key = u.key;
    o.extents = parts.front().extents;
    return Result<core::ObjectRecord>(o);
  };
  {
    std::unique_ptr<MetaStore> store = OpenOn(uri_ + "&application_name=scans");
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->CreateBucket(core::BucketRecord{"b", TimePoint(), "auto"}).ok());
    for (int i = 0; i < 10; ++i) {  // past the 5 custom plans of a prepared statement
      object.key = "dir/k" + std::to_string(i);
      object.extents = {{"blob-" + std::to_string(i), 0, 10}};
      ASSERT_TRUE(store->PutObject(object).ok());
      EXPECT_TRUE(store->GetObject("b", object.key).ok());
      EXPECT_EQ(store->GetObject("b", "missing").error().code, ErrorCode::kNoSuchKey);
      core::ListQuery by_prefix, by_delimiter;
      by_prefix.prefix = "dir/";
      by_delimiter.delimiter = "/";
      EXPECT_TRUE(store->ListObjects("b", by_prefix).ok());
      EXPECT_TRUE(store->ListObjects("b", by_delimiter).ok());
      EXPECT_TRUE(store->GetBucketUsage("b").ok());
      EXPECT_TRUE(store->GetBucketConfig("b", "cors").ok());
      EXPECT_TRUE(*store->BlobReferenced("blob-" + std::to_string(i)));
    }
    for (int i = 0; i < 10; ++i) {
      upload.upload_id = "upload-" + std::to_string(i);
      ASSERT_TRUE(store->CreateUpload(upload).ok());
      ASSERT_TRUE(store->PutPart("b", upload.key, upload.upload_id, part).ok());
      EXPECT_TRUE(store->ListParts("b", upload.key, upload.upload_id, 0, 100).ok());
      if (i % 2 == 0) {
        Result<MetaStore::Completion> done =
            store->CompleteUpload("b", upload.key, upload.upload_id, build);
        EXPECT_TRUE(done.ok()) << done.error().Message();
      } else {
        EXPECT_TRUE(store->AbortUpload("b", upload.key, upload.upload_id).ok());
      }
      EXPECT_TRUE(store->DeleteObject("b", "dir/k" + std::to_string(i)).ok());
    }
  }
  wait_for_the_end_of("scans");
  const auto [seq_after, read_after] = scans();
  EXPECT_EQ(seq_after, seq_before) << "sequential scans of objects";
  EXPECT_GT(read_after, read_before) << "no counts arrived";
  EXPECT_LT(read_after - read_before, 5000) << "rows of objects read";
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
