// The start-up sweep: temporaries a crash left go, orphaned blobs go (listed page by page, so a
// store of more blobs than one page is swept whole), referenced blobs stay.
#include "app/data_dir.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "blob/fs/fs_blob_store.h"
#include "blob/mem/mem_blob_store.h"
#include "common/time_format.h"
#include "meta/sqlite/sqlite_meta_store.h"

namespace cairn::app {
namespace {

// A store that other gateways share, as the sweep sees one: the bytes in memory, commit times set
// by the test, and the cut-off of the last clearing of abandoned writes.
class SharedMemStore final : public blob::BlobStore, public blob::SharedStore {
 public:
  Result<std::unique_ptr<blob::BlobWriter>> Create() override { return mem_.Create(); }
  Result<std::unique_ptr<blob::BlobReader>> Open(const std::string& id) override {
    return mem_.Open(id);
  }
  Status Remove(const std::string& id) override { return mem_.Remove(id); }
  Result<std::vector<std::string>> ListIds(const std::string& after, size_t limit) override {
    return mem_.ListIds(after, limit);
  }
  SharedStore* shared() override { return this; }
  Result<std::chrono::system_clock::time_point> CommittedAt(const std::string& id) override {
    auto it = committed_at.find(id);
    if (it == committed_at.end()) return Error(ErrorCode::kStorageNotFound, id);
    return it->second;
  }
  Status RemoveAbandonedWrites(std::chrono::system_clock::time_point cutoff) override {
    abandoned_cutoff = cutoff;
    return Status::Ok();
  }

  std::map<std::string, std::chrono::system_clock::time_point> committed_at;
  std::optional<std::chrono::system_clock::time_point> abandoned_cutoff;

 private:
  blob::MemBlobStore mem_;
};

class SweepTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "cairn-sweep-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    auto meta = meta::OpenSqliteMetaStore(dir_ + "/meta.sqlite3");
    ASSERT_TRUE(meta.ok());
    meta_ = std::move(*meta);
    ASSERT_TRUE(meta_->CreateBucket(core::BucketRecord{"b", NowMillis(), "auto"}).ok());
  }
  void TearDown() override {
    meta_.reset();
    std::filesystem::remove_all(dir_);
  }

  static std::string Put(blob::BlobStore& blobs, const std::string& bytes) {
    auto writer = std::move(*blobs.Create());
    EXPECT_TRUE(writer->Append(bytes.data(), bytes.size()).ok());
    EXPECT_TRUE(writer->Commit().ok());
    return writer->id();
  }
  // An object named `key` whose bytes are blob `id`.
  void Reference(const std::string& key, const std::string& id) {
    core::ObjectRecord object;
    object.bucket = "b";
    object.key = key;
    object.size = 1;
    object.etag = "00000000000000000000000000000000";
    object.last_modified = NowMillis();
    object.extents = {core::Extent{id, 0, 1}};
    ASSERT_TRUE(meta_->PutObject(object).ok());
  }
  static std::vector<std::string> All(blob::BlobStore& blobs) { return *blobs.ListIds("", 100000); }

  std::string dir_;
  std::unique_ptr<meta::MetaStore> meta_;
};

TEST_F(SweepTest, RemovesEveryOrphanAcrossPagesAndKeepsReferencedBlobs) {
  blob::MemBlobStore blobs;
  std::vector<std::string> kept;
  for (int i = 0; i < 2500; ++i) {
    const std::string id = Put(blobs, "x");
    if (i % 1000 == 999) {  // one near the end of each page of the sweep
      Reference("k" + std::to_string(i), id);
      kept.push_back(id);
    }
  }
  auto report = SweepAfterCrash(*meta_, blobs);
  ASSERT_TRUE(report.ok()) << report.error().Message();
  EXPECT_EQ(report->orphan_blobs_removed, 2500u - kept.size());
  std::sort(kept.begin(), kept.end());
  EXPECT_EQ(All(blobs), kept);
}

TEST_F(SweepTest, ClearsTheTemporariesOfTheFileSystemEngine) {
  auto blobs = blob::OpenFsBlobStore(dir_ + "/data");
  ASSERT_TRUE(blobs.ok());
  const std::string id = Put(**blobs, "x");
  Reference("k", id);
  std::ofstream(dir_ + "/data/tmp/0123456789abcdef0123456789abcdef.tmp") << "partial";
  auto report = SweepAfterCrash(*meta_, **blobs);
  ASSERT_TRUE(report.ok()) << report.error().Message();
  EXPECT_EQ(report->orphan_blobs_removed, 0u);
  EXPECT_TRUE(std::filesystem::is_empty(dir_ + "/data/tmp"));
  EXPECT_EQ(All(**blobs), std::vector<std::string>{id});
}

TEST_F(SweepTest, OnASharedStoreOnlyOrphansOlderThanTheGraceGo) {
  // Another gateway may have committed a blob and not yet its record: a young orphan stays.
  SharedMemStore blobs;
  const auto now = std::chrono::system_clock::now();
  const std::string old_orphan = Put(blobs, "old");
  const std::string young_orphan = Put(blobs, "young");
  const std::string old_referenced = Put(blobs, "kept");
  blobs.committed_at[old_orphan] = now - std::chrono::hours(25);
  blobs.committed_at[young_orphan] = now - std::chrono::minutes(5);
  blobs.committed_at[old_referenced] = now - std::chrono::hours(25);
  Reference("k", old_referenced);
  auto report = SweepAfterCrash(*meta_, blobs);
  ASSERT_TRUE(report.ok()) << report.error().Message();
  EXPECT_EQ(report->orphan_blobs_removed, 1u);
  EXPECT_EQ(report->young_orphans_kept, 1u);
  std::vector<std::string> expected = {young_orphan, old_referenced};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(All(blobs), expected);
  // Abandoned writes are cleared with the same grace (24 hours by default).
  ASSERT_TRUE(blobs.abandoned_cutoff.has_value());
  EXPECT_LT(*blobs.abandoned_cutoff, now - std::chrono::hours(23));
  EXPECT_GT(*blobs.abandoned_cutoff, now - std::chrono::hours(25));
}

TEST_F(SweepTest, AStoreOnlyThisProcessUsesIsSweptAtOnce) {
  // The data dir's lock keeps other processes out: no grace, as tests/crash expects.
  blob::MemBlobStore blobs;
  Put(blobs, "just committed");
  auto report = SweepAfterCrash(*meta_, blobs);
  ASSERT_TRUE(report.ok()) << report.error().Message();
  EXPECT_EQ(report->orphan_blobs_removed, 1u);
  EXPECT_TRUE(All(blobs).empty());
}

}  // namespace
}  // namespace cairn::app
