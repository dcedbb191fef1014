// Runs the shared MetaStore suite against SQLite, plus what only this engine has: the file's
// pragmas, the schema version and migrations, reopening, and what the tables hold.
#include "meta/sqlite/sqlite_meta_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "meta/meta_store_suite.h"
#include "meta/sqlite/schema.h"

namespace cairn::meta {
namespace {

std::unique_ptr<MetaStore> OpenForSuite(const std::string& scratch_dir) {
  SqliteOptions options;
  // Fsync-free commits keep the suite fast (it writes 20,000 objects); SqliteFile tests below
  // open with the production defaults.
  options.durable = false;
  Result<std::unique_ptr<MetaStore>> store = OpenSqliteMetaStore(scratch_dir + "/meta.db", options);
  EXPECT_TRUE(store.ok()) << store.error().Message();
  return store.ok() ? std::move(*store) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(Sqlite, MetaStoreSuite,
                         ::testing::Values(MetaStoreEngine{"sqlite", OpenForSuite}),
                         MetaStoreEngineName);

// A raw connection to the store's file, to look at what the store left there.
class RawDb {
 public:
  explicit RawDb(const std::string& path) { sqlite3_open(path.c_str(), &db_); }
  ~RawDb() { sqlite3_close(db_); }
  std::string Text(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return out;
  }
  int Exec(const std::string& sql) {
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  }

 private:
  sqlite3* db_ = nullptr;
};

// Takes a file back from schema version 5 to version 4.
constexpr const char* kUndoVersion5 =
    "DROP INDEX completed_uploads_by_expiry; DROP TABLE completed_uploads; "
    "PRAGMA user_version = 4;";

// Takes a file back from schema version 4 to version 3.
constexpr const char* kUndoVersion4 =
    "DROP TRIGGER bucket_usage_on_create; DROP TRIGGER bucket_usage_on_drop; "
    "DROP TRIGGER bucket_usage_on_insert; DROP TRIGGER bucket_usage_on_delete; "
    "DROP TRIGGER bucket_usage_on_resize; DROP TABLE bucket_usage; PRAGMA user_version = 3;";

class SqliteFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "cairn-sqlite-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    path_ = dir_ + "/meta.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<MetaStore> Open() {
    Result<std::unique_ptr<MetaStore>> store = OpenSqliteMetaStore(path_);
    EXPECT_TRUE(store.ok()) << store.error().Message();
    return store.ok() ? std::move(*store) : nullptr;
  }

  std::string dir_;
  std::string path_;
};

TEST_F(SqliteFile, OpensInWalModeAtTheLatestSchemaVersion) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  RawDb raw(path_);
  EXPECT_EQ(raw.Text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.Text("PRAGMA user_version"), std::to_string(sqlite::LatestSchemaVersion()));
  for (const char* table :
       {"buckets", "objects", "blobs", "settings", "uploads", "parts", "bucket_config"}) {
    EXPECT_EQ(raw.Text(std::string("SELECT name FROM sqlite_schema WHERE name = '") + table + "'"),
              table);
  }
}

// Whatever the process umask, the database and its -wal and -shm files are the owner's alone.
TEST_F(SqliteFile, FilesAreOwnerOnly) {
  const mode_t previous = umask(0);
  auto store = Open();
  umask(previous);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateBucket(core::BucketRecord{"b", TimePoint(), "auto"}).ok());
  for (const std::string& path : {path_, path_ + "-wal", path_ + "-shm"}) {
    struct stat st;
    ASSERT_EQ(stat(path.c_str(), &st), 0) << path;
    EXPECT_EQ(st.st_mode & 0777, 0600u) << path;
  }
}

// A -shm file truncated under the store makes SQLite's next access fault (SIGBUS): the process
// still dies of it, but says why first (mapping_fault.h).
TEST_F(SqliteFile, TruncatedShmIsExplainedBeforeTheProcessDies) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        auto store = Open();
        if (!store || !store->CreateBucket(core::BucketRecord{"b", TimePoint(), "auto"}).ok())
          _exit(3);
        if (truncate((path_ + "-shm").c_str(), 0) != 0) _exit(4);
        (void)store->GetBucket("b");
        (void)store->CreateBucket(core::BucketRecord{"c", TimePoint(), "auto"});
        _exit(5);
      },
      ::testing::KilledBySignal(SIGBUS),
      "SIGBUS at 0x[0-9a-f]+ in the memory-mapped file .*meta\\.db-shm");
}

TEST_F(SqliteFile, ReopenKeepsEverything) {
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->CreateBucket(core::BucketRecord{"b", TimePoint(), "auto"}).ok());
    core::ObjectRecord o;
    o.bucket = "b";
    o.key = "k";
    o.extents = {{"blob", 0, 3}};
    ASSERT_TRUE(store->PutObject(o).ok());
    ASSERT_TRUE(store->PutSetting("admin_key", "secret").ok());
  }
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->GetObject("b", "k").ok());
  EXPECT_TRUE(*store->BlobReferenced("blob"));
  EXPECT_EQ(store->GetSetting("admin_key")->value_or(""), "secret");
}

TEST_F(SqliteFile, RefusesASchemaFromANewerVersion) {
  {
    RawDb raw(path_);
    ASSERT_EQ(raw.Exec("PRAGMA user_version = 999"), SQLITE_OK);
  }
  Result<std::unique_ptr<MetaStore>> store = OpenSqliteMetaStore(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("newer"), std::string::npos);
}

TEST_F(SqliteFile, MigratesAVersion1Database) {
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->CreateBucket(core::BucketRecord{"b", TimePoint(), "auto"}).ok());
  }
  {
    // Turn the file back into what cairn's first schema wrote, with an upload in it whose
    // metadata column has its default.
    RawDb raw(path_);
    ASSERT_EQ(raw.Exec(kUndoVersion5), SQLITE_OK);
    ASSERT_EQ(raw.Exec(kUndoVersion4), SQLITE_OK);
    ASSERT_EQ(
        raw.Exec("DROP TABLE object_data; DROP TABLE bucket_config; DROP INDEX uploads_by_age; "
                 "DROP INDEX uploads_by_listing; "
                 "CREATE INDEX uploads_by_key ON uploads(bucket, key, initiated_ms); "
                 "INSERT INTO uploads (upload_id, bucket, key, initiated_ms) "
                 "VALUES ('u1', 'b', x'6b', 7); PRAGMA user_version = 1"),
        SQLITE_OK);
  }
  auto store = Open();
  ASSERT_NE(store, nullptr);
  RawDb raw(path_);
  EXPECT_EQ(raw.Text("PRAGMA user_version"), std::to_string(sqlite::LatestSchemaVersion()));
  ASSERT_TRUE(store->PutBucketConfig("b", "cors", "<CORSConfiguration/>").ok());
  Result<core::UploadRecord> upload = store->GetUpload("b", "k", "u1");
  ASSERT_TRUE(upload.ok()) << upload.error().Message();
  EXPECT_EQ(upload->storage_class, "STANDARD");  // '{}' reads as the defaults
  EXPECT_TRUE(upload->user_metadata.empty());
}

TEST_F(SqliteFile, MigrationToVersion4CountsTheObjectsAlreadyStored) {
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    for (const char* bucket : {"full", "empty"}) {
      ASSERT_TRUE(store->CreateBucket(core::BucketRecord{bucket, TimePoint(), "auto"}).ok());
    }
    for (int i = 0; i < 3; ++i) {
      core::ObjectRecord o;
      o.bucket = "full";
      o.key = "k" + std::to_string(i);
      o.size = 100 + i;
      o.inline_data = std::string(o.size, 'x');
      ASSERT_TRUE(store->PutObject(o).ok());
    }
  }
  {
    RawDb raw(path_);
    ASSERT_EQ(raw.Exec(kUndoVersion5), SQLITE_OK);
    ASSERT_EQ(raw.Exec(kUndoVersion4), SQLITE_OK);
  }
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->GetBucketUsage("full"), (core::BucketUsage{3, 303}));
  EXPECT_EQ(*store->GetBucketUsage("empty"), (core::BucketUsage{0, 0}));
  ASSERT_TRUE(store->DeleteObject("full", "k1").ok());  // and the triggers keep it from there
  EXPECT_EQ(*store->GetBucketUsage("full"), (core::BucketUsage{2, 202}));
}

TEST_F(SqliteFile, MigrationToVersion5KeepsUploadsInProgressCompletable) {
  core::UploadRecord upload;
  upload.upload_id = "u1";
  upload.bucket = "b";
  upload.key = "k";
  core::PartRecord part;
  part.part_number = 1;
  part.etag = "e1";
  part.size = 3;
  part.extents = {{"blob", 0, 3}};
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->CreateBucket(core::BucketRecord{"b", TimePoint(), "auto"}).ok());
    ASSERT_TRUE(store->CreateUpload(upload).ok());
    ASSERT_TRUE(store->PutPart("b", "k", "u1", part).ok());
  }
  {
    RawDb raw(path_);
    ASSERT_EQ(raw.Exec(kUndoVersion5), SQLITE_OK);
  }
  MetaStore::CompleteBuilder build = [](const core::UploadRecord& u,
                                        const std::vector<core::PartRecord>& parts) {
    core::ObjectRecord o;
    o.bucket = u.bucket;
    o.key = u.key;
    o.etag = "e-1";
    o.size = parts[0].size;
    o.extents = parts[0].extents;
    return Result<core::ObjectRecord>(o);
  };
  const MetaStore::CompletionReceipt receipt{"list", TimePoint(std::chrono::hours(1))};
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    RawDb raw(path_);
    EXPECT_EQ(raw.Text("PRAGMA user_version"), "5");
    auto done = store->CompleteUpload("b", "k", "u1", build, {}, receipt);
    ASSERT_TRUE(done.ok()) << done.error().Message();
    EXPECT_FALSE(done->retried);
  }
  // The completion's record is as durable as the object: a retry after a restart is answered.
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto retried = store->CompleteUpload("b", "k", "u1", build, {}, receipt);
  ASSERT_TRUE(retried.ok()) << retried.error().Message();
  EXPECT_TRUE(retried->retried);
  EXPECT_EQ(retried->record.etag, "e-1");
  EXPECT_EQ(retried->record.size, 3u);
  EXPECT_EQ(retried->record.expires, receipt.keep_until);
  RawDb raw(path_);
  EXPECT_EQ(raw.Text("SELECT typeof(key) FROM completed_uploads"), "blob");
}

TEST_F(SqliteFile, PartsCountInTheBlobsTable) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateBucket(core::BucketRecord{"b", TimePoint(), "auto"}).ok());
  core::UploadRecord upload;
  upload.upload_id = "u1";
  upload.bucket = "b";
  upload.key = "k";
  ASSERT_TRUE(store->CreateUpload(upload).ok());
  core::PartRecord part;
  part.part_number = 1;
  part.extents = {{"blob", 0, 3}, {"blob", 3, 3}};  // one reference per distinct blob
  ASSERT_TRUE(store->PutPart("b", "k", "u1", part).ok());
  core::ObjectRecord o;
  o.bucket = "b";
  o.key = "copy";
  o.extents = {{"blob", 0, 6}};
  ASSERT_TRUE(store->PutObject(o).ok());
  RawDb raw(path_);
  EXPECT_EQ(raw.Text("SELECT refcount FROM blobs WHERE id = 'blob'"), "2");
  EXPECT_EQ(raw.Text("SELECT typeof(key) FROM uploads"), "blob");
}

TEST_F(SqliteFile, DeleteBucketWithUploadsIsBucketNotEmpty) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateBucket(core::BucketRecord{"b", TimePoint(), "auto"}).ok());
  {
    RawDb raw(path_);
    ASSERT_EQ(raw.Exec("INSERT INTO uploads (upload_id, bucket, key, initiated_ms) "
                       "VALUES ('u1', 'b', x'6b', 0)"),
              SQLITE_OK);
  }
  EXPECT_EQ(store->DeleteBucket("b").code(), ErrorCode::kBucketNotEmpty);
  {
    RawDb raw(path_);
    ASSERT_EQ(raw.Exec("DELETE FROM uploads"), SQLITE_OK);
  }
  EXPECT_TRUE(store->DeleteBucket("b").ok());
}

TEST_F(SqliteFile, ForeignKeysHoldObjectsToTheirBucket) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  // The store checks buckets itself; the foreign key is the net under that check.
  RawDb raw(path_);
  ASSERT_EQ(raw.Exec("PRAGMA foreign_keys = ON"), SQLITE_OK);
  EXPECT_NE(raw.Exec("INSERT INTO objects (bucket, key, size, etag, last_modified_ms) "
                     "VALUES ('missing', x'6b', 0, '', 0)"),
            SQLITE_OK);
}

TEST_F(SqliteFile, KeysAreStoredAsBlobs) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateBucket(core::BucketRecord{"b", TimePoint(), "auto"}).ok());
  core::ObjectRecord o;
  o.bucket = "b";
  o.key = "k";
  ASSERT_TRUE(store->PutObject(o).ok());
  RawDb raw(path_);
  EXPECT_EQ(raw.Text("SELECT typeof(key) FROM objects"), "blob");
}

}  // namespace
}  // namespace cairn::meta
