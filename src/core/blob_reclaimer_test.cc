// A released blob disappears at once when nobody reads, waits for the readers that may still use
// it, survives when a copy referenced it again meanwhile, and is deleted later when its deletion
// failed. With a grace (gateways sharing their stores), it waits out the grace first.
#include "core/blob_reclaimer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "blob/fault/fault_blob_store.h"
#include "blob/fs/fs_blob_store.h"
#include "meta/sqlite/sqlite_meta_store.h"

namespace cairn::core {
namespace {

class BlobReclaimerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/reclaimer-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::create_directories(dir_);
    meta::SqliteOptions options;
    options.durable = false;
    meta_ = std::move(*meta::OpenSqliteMetaStore(dir_ + "/meta.db", options));
    blobs_ =
        std::make_unique<blob::FaultBlobStore>(std::move(*blob::OpenFsBlobStore(dir_)), faults_);
    ASSERT_TRUE(meta_->CreateBucket({"b", NowMillis(), "auto"}).ok());
    reclaimer_ = std::make_unique<BlobReclaimer>(
        *meta_, *blobs_,
        [this](std::function<void()> work) { scheduled_.push_back(std::move(work)); });
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A committed blob with a few bytes.
  std::string NewBlob() {
    auto writer = std::move(*blobs_->Create());
    EXPECT_TRUE(writer->Append("0123456789", 10).ok());
    EXPECT_TRUE(writer->Commit().ok());
    return writer->id();
  }
  bool Exists(const std::string& id) { return blobs_->Open(id).ok(); }

  // Writes bucket b / key with its bytes in `blob`; returns the blobs the write released.
  std::vector<std::string> Put(const std::string& key, const std::string& blob) {
    core::ObjectRecord object;
    object.bucket = "b";
    object.key = key;
    object.size = 10;
    object.etag = "e";
    object.last_modified = NowMillis();
    object.extents = {core::Extent{blob, 0, 10}};
    return std::move(*meta_->PutObject(object));
  }
  void RunScheduled() {
    auto work = std::move(scheduled_);
    scheduled_.clear();
    for (auto& w : work) w();
  }

  std::string dir_;
  FaultPlan faults_;
  std::unique_ptr<meta::MetaStore> meta_;
  std::unique_ptr<blob::BlobStore> blobs_;
  std::unique_ptr<BlobReclaimer> reclaimer_;
  std::vector<std::function<void()>> scheduled_;
};

TEST_F(BlobReclaimerTest, WithoutReadersAReleasedBlobGoesAtOnce) {
  const std::string old_blob = NewBlob();
  Put("k", old_blob);
  const auto released = Put("k", NewBlob());
  ASSERT_EQ(released, std::vector<std::string>{old_blob});
  reclaimer_->Release(released);
  EXPECT_FALSE(Exists(old_blob));
  EXPECT_EQ(reclaimer_->deferred(), 0u);
}

TEST_F(BlobReclaimerTest, AnEarlierReaderHoldsTheBlobUntilItEnds) {
  const std::string old_blob = NewBlob();
  Put("k", old_blob);
  {
    BlobReclaimer::Reader reader = reclaimer_->BeginRead();  // a GET that read the old metadata
    reclaimer_->Release(Put("k", NewBlob()));
    EXPECT_TRUE(Exists(old_blob)) << "deleted under a reader";
    EXPECT_EQ(reclaimer_->deferred(), 1u);
    RunScheduled();
    EXPECT_TRUE(Exists(old_blob));
  }
  EXPECT_EQ(reclaimer_->deferred(), 0u);
  ASSERT_EQ(scheduled_.size(), 1u) << "the reader's end hands the deletion to the worker pool";
  RunScheduled();
  EXPECT_FALSE(Exists(old_blob));
}

TEST_F(BlobReclaimerTest, ReadersThatStartAfterAReleaseDoNotHoldItBack) {
  const std::string old_blob = NewBlob();
  Put("k", old_blob);
  std::optional<BlobReclaimer::Reader> early(reclaimer_->BeginRead());
  reclaimer_->Release(Put("k", NewBlob()));
  BlobReclaimer::Reader late = reclaimer_->BeginRead();  // reads the new metadata
  early.reset();
  RunScheduled();
  EXPECT_FALSE(Exists(old_blob));
}

TEST_F(BlobReclaimerTest, ABlobReferencedAgainByACopySurvives) {
  const std::string shared = NewBlob();
  Put("source", shared);
  {
    BlobReclaimer::Reader copy = reclaimer_->BeginRead();  // a copy reads the source...
    reclaimer_->Release(Put("source", NewBlob()));         // ...the source is overwritten...
    Put("copy", shared);                                   // ...and the copy commits its reference
  }
  RunScheduled();
  EXPECT_TRUE(Exists(shared));
  // Once the copy goes too, the blob goes.
  reclaimer_->Release(std::move(*meta_->DeleteObject("b", "copy")));
  EXPECT_FALSE(Exists(shared));
}

TEST_F(BlobReclaimerTest, ReleasesWaitForEveryEarlierReaderInOrder) {
  const std::string first = NewBlob();
  Put("a", first);
  std::optional<BlobReclaimer::Reader> r1(reclaimer_->BeginRead());
  reclaimer_->Release(Put("a", NewBlob()));  // first released while r1 reads
  const std::string second = NewBlob();
  Put("c", second);
  std::optional<BlobReclaimer::Reader> r2(reclaimer_->BeginRead());
  reclaimer_->Release(Put("c", NewBlob()));  // second released while r1 and r2 read
  r2.reset();
  RunScheduled();
  EXPECT_TRUE(Exists(first));
  EXPECT_TRUE(Exists(second)) << "r1 started before this release too";
  r1.reset();
  RunScheduled();
  EXPECT_FALSE(Exists(first));
  EXPECT_FALSE(Exists(second));
}

TEST_F(BlobReclaimerTest, AFailedDeletionIsTriedAgainWithTheNextRelease) {
  const std::string first = NewBlob();
  Put("a", first);
  faults_.Arm(FaultTarget::kBlobDelete, FaultKind::kIoError, 1);
  reclaimer_->Release(Put("a", NewBlob()));
  EXPECT_TRUE(Exists(first)) << "the fault should have kept it";
  EXPECT_EQ(reclaimer_->failed(), 1u);
  const std::string second = NewBlob();
  Put("c", second);
  reclaimer_->Release(Put("c", NewBlob()));
  EXPECT_FALSE(Exists(first)) << "the next release tries the failed deletion again";
  EXPECT_FALSE(Exists(second));
  EXPECT_EQ(reclaimer_->failed(), 0u);
}

// Another gateway's readers and copies are invisible here: only the grace protects them.
class BlobReclaimerGraceTest : public BlobReclaimerTest {
 protected:
  void SetUp() override {
    BlobReclaimerTest::SetUp();
    reclaimer_ = std::make_unique<BlobReclaimer>(
        *meta_, *blobs_,
        [this](std::function<void()> work) { scheduled_.push_back(std::move(work)); },
        std::chrono::minutes(10), [this] { return now_; });
  }
  std::chrono::steady_clock::time_point now_{};
};

TEST_F(BlobReclaimerGraceTest, AReleasedBlobOutlivesItsGrace) {
  const std::string old_blob = NewBlob();
  Put("k", old_blob);
  reclaimer_->Release(Put("k", NewBlob()));  // no reader here: a GET elsewhere may still send it
  RunScheduled();
  EXPECT_TRUE(Exists(old_blob)) << "deleted before its grace passed";
  now_ += std::chrono::minutes(9);
  reclaimer_->RemoveDue();
  RunScheduled();
  EXPECT_TRUE(Exists(old_blob));
  EXPECT_EQ(reclaimer_->deferred(), 1u);
  now_ += std::chrono::minutes(1);
  reclaimer_->RemoveDue();
  RunScheduled();
  EXPECT_FALSE(Exists(old_blob));
  EXPECT_EQ(reclaimer_->deferred(), 0u);
}

TEST_F(BlobReclaimerGraceTest, ACopyElsewhereWithinTheGraceKeepsTheBlob) {
  const std::string shared = NewBlob();
  Put("source", shared);
  reclaimer_->Release(Put("source", NewBlob()));
  Put("copy", shared);  // another gateway's copy, which read the source before the overwrite
  now_ += std::chrono::minutes(10);
  reclaimer_->RemoveDue();
  RunScheduled();
  EXPECT_TRUE(Exists(shared)) << "a record points at it again";
}

TEST_F(BlobReclaimerGraceTest, ALocalReaderStillHoldsABlobPastItsGrace) {
  const std::string old_blob = NewBlob();
  Put("k", old_blob);
  std::optional<BlobReclaimer::Reader> reader(reclaimer_->BeginRead());
  reclaimer_->Release(Put("k", NewBlob()));
  now_ += std::chrono::hours(1);
  reclaimer_->RemoveDue();
  RunScheduled();
  EXPECT_TRUE(Exists(old_blob));
  reader.reset();
  RunScheduled();
  EXPECT_FALSE(Exists(old_blob));
}

}  // namespace
}  // namespace cairn::core
