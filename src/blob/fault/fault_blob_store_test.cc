// The fault wrapper: with nothing armed it keeps the BlobStore contract over either engine (the
// shared suite); armed, each target fails the calls it names, with the error an engine would give,
// and leaves the store as the failure would (nothing published, nothing removed).
#include "blob/fault/fault_blob_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "blob/blob_store_suite.h"
#include "blob/fs/fs_blob_store.h"
#include "blob/mem/mem_blob_store.h"

namespace cairn::blob {
namespace {

// Never armed: the suite checks the wrapper adds nothing when idle.
FaultPlan idle_plan;

INSTANTIATE_TEST_SUITE_P(
    Fault, BlobStoreSuite,
    ::testing::Values(BlobStoreEngine{"fault_over_mem",
                                      [](const std::string&) -> std::unique_ptr<BlobStore> {
                                        return std::make_unique<FaultBlobStore>(
                                            std::make_unique<MemBlobStore>(), idle_plan);
                                      }},
                      BlobStoreEngine{"fault_over_fs",
                                      [](const std::string& dir) -> std::unique_ptr<BlobStore> {
                                        auto fs = OpenFsBlobStore(dir + "/data");
                                        if (!fs.ok()) return nullptr;
                                        return std::make_unique<FaultBlobStore>(std::move(*fs),
                                                                                idle_plan);
                                      }}),
    BlobStoreEngineName);

class FaultBlobStoreTest : public ::testing::Test {
 protected:
  FaultBlobStoreTest() {
    auto engine = std::make_unique<MemBlobStore>();
    engine_ = engine.get();
    store_ = std::make_unique<FaultBlobStore>(std::move(engine), plan_);
  }

  std::unique_ptr<BlobWriter> NewWriter() {
    Result<std::unique_ptr<BlobWriter>> writer = store_->Create();
    EXPECT_TRUE(writer.ok());
    return writer.ok() ? std::move(*writer) : nullptr;
  }
  // Writes and commits `bytes`; returns the id, or "" when a step failed.
  std::string Put(const std::string& bytes) {
    std::unique_ptr<BlobWriter> writer = NewWriter();
    if (!writer || !writer->Append(bytes.data(), bytes.size()).ok() || !writer->Commit().ok()) {
      return "";
    }
    return writer->id();
  }
  // The committed ids, as the engine itself holds them.
  std::vector<std::string> EngineIds() { return *engine_->ListIds("", 1000); }

  FaultPlan plan_;
  MemBlobStore* engine_;
  std::unique_ptr<FaultBlobStore> store_;
};

TEST_F(FaultBlobStoreTest, NoSpaceOnWriteIsStorageNoSpace) {
  plan_.Arm(FaultTarget::kBlobWrite, FaultKind::kNoSpace, 1);
  std::unique_ptr<BlobWriter> writer = NewWriter();
  Status s = writer->Append("bytes", 5);
  EXPECT_EQ(s.code(), ErrorCode::kStorageNoSpace);
  EXPECT_NE(s.error().Message().find("injected ENOSPC"), std::string::npos);
  // Spent, as an engine's writer is after a failed write; nothing was published.
  EXPECT_FALSE(writer->Append("more", 4).ok());
  EXPECT_FALSE(writer->Commit().ok());
  writer.reset();
  EXPECT_TRUE(EngineIds().empty());
  // One call was armed: the next write succeeds.
  EXPECT_NE(Put("fine"), "");
}

TEST_F(FaultBlobStoreTest, IoErrorOnWriteIsStorageIOErrorWithDetail) {
  plan_.Arm(FaultTarget::kBlobWrite, FaultKind::kIoError, 2);
  EXPECT_EQ(Put("a"), "");
  std::unique_ptr<BlobWriter> writer = NewWriter();
  Status s = writer->Append("b", 1);
  EXPECT_EQ(s.code(), ErrorCode::kStorageIOError);
  EXPECT_NE(s.error().Message().find("write blob " + writer->id()), std::string::npos)
      << s.error().Message();
  EXPECT_NE(s.error().Message().find("injected EIO"), std::string::npos);
  EXPECT_NE(Put("c"), "");  // the count of 2 is used up
  EXPECT_EQ(EngineIds().size(), 1u);
}

TEST_F(FaultBlobStoreTest, ShortWriteWritesPartThenFails) {
  plan_.Arm(FaultTarget::kBlobWrite, FaultKind::kShortWrite, 1);
  std::unique_ptr<BlobWriter> writer = NewWriter();
  ASSERT_TRUE(writer->Append("0123456789", 10).ok() == false);
  EXPECT_EQ(writer->size(), 5u);  // half reached the engine
  EXPECT_FALSE(writer->Commit().ok());
  writer.reset();
  EXPECT_TRUE(EngineIds().empty());
}

TEST_F(FaultBlobStoreTest, FailedSyncPublishesNothing) {
  plan_.Arm(FaultTarget::kBlobSync, FaultKind::kIoError, 1);
  std::unique_ptr<BlobWriter> writer = NewWriter();
  ASSERT_TRUE(writer->Append("never durable", 13).ok());
  Status s = writer->Commit();
  EXPECT_EQ(s.code(), ErrorCode::kStorageIOError);
  EXPECT_FALSE(store_->Open(writer->id()).ok());
  writer.reset();
  EXPECT_TRUE(EngineIds().empty());
  EXPECT_NE(Put("next one commits"), "");
}

TEST_F(FaultBlobStoreTest, NoSpaceOnSyncIsStorageNoSpace) {
  plan_.Arm(FaultTarget::kBlobSync, FaultKind::kNoSpace, 1);
  std::unique_ptr<BlobWriter> writer = NewWriter();
  ASSERT_TRUE(writer->Append("x", 1).ok());
  EXPECT_EQ(writer->Commit().code(), ErrorCode::kStorageNoSpace);
}

TEST_F(FaultBlobStoreTest, ReadFaultsFailOpenAndReadAt) {
  const std::string id = Put("readable");
  plan_.Arm(FaultTarget::kBlobRead, FaultKind::kIoError, 1);
  Result<std::unique_ptr<BlobReader>> failed = store_->Open(id);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::kStorageIOError);
  Result<std::unique_ptr<BlobReader>> reader = store_->Open(id);
  ASSERT_TRUE(reader.ok());
  char buffer[8];
  plan_.Arm(FaultTarget::kBlobRead, FaultKind::kIoError, 1);
  EXPECT_FALSE((*reader)->ReadAt(0, buffer, 8).ok());
  Result<size_t> n = (*reader)->ReadAt(0, buffer, 8);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(std::string(buffer, *n), "readable");
}

TEST_F(FaultBlobStoreTest, EioAfterSyncCommitsTheBlobButReportsAnUnknownOutcome) {
  plan_.Arm(FaultTarget::kBlobSync, FaultKind::kIoErrorAfter, 1);
  std::unique_ptr<BlobWriter> writer = NewWriter();
  ASSERT_TRUE(writer->Append("durable", 7).ok());
  const Status s = writer->Commit();
  EXPECT_EQ(s.code(), ErrorCode::kStorageIOError);
  EXPECT_TRUE(s.error().outcome_unknown);
  const std::string id = writer->id();
  writer.reset();
  EXPECT_EQ(EngineIds(), std::vector<std::string>{id}) << "committed: an orphan for the sweep";
}

TEST_F(FaultBlobStoreTest, EioAfterDeleteRemovesTheBlobButReportsAnUnknownOutcome) {
  const std::string id = Put("gone");
  plan_.Arm(FaultTarget::kBlobDelete, FaultKind::kIoErrorAfter, 1);
  const Status s = store_->Remove(id);
  EXPECT_EQ(s.code(), ErrorCode::kStorageIOError);
  EXPECT_TRUE(s.error().outcome_unknown);
  EXPECT_TRUE(EngineIds().empty());
}

TEST_F(FaultBlobStoreTest, DeleteFaultKeepsTheBlob) {
  const std::string id = Put("kept");
  plan_.Arm(FaultTarget::kBlobDelete, FaultKind::kIoError, 1);
  EXPECT_EQ(store_->Remove(id).code(), ErrorCode::kStorageIOError);
  EXPECT_EQ(EngineIds(), std::vector<std::string>{id});
  EXPECT_TRUE(store_->Remove(id).ok());
  EXPECT_TRUE(EngineIds().empty());
}

TEST_F(FaultBlobStoreTest, CrashStopsEverythingAndKeepsOnlyWhatWasCommitted) {
  const std::string committed = Put("made it");
  std::unique_ptr<BlobWriter> in_flight = NewWriter();
  ASSERT_TRUE(in_flight->Append("half", 4).ok());
  plan_.Arm(FaultTarget::kBlobSync, FaultKind::kCrash, 1);
  std::unique_ptr<BlobWriter> crashing = NewWriter();
  ASSERT_TRUE(crashing->Append("lost", 4).ok());
  EXPECT_FALSE(crashing->Commit().ok());
  EXPECT_TRUE(plan_.crashed());
  // Every later call fails, whatever its kind.
  EXPECT_FALSE(in_flight->Append("more", 4).ok());
  EXPECT_FALSE(in_flight->Commit().ok());
  EXPECT_FALSE(store_->Create().ok());
  EXPECT_FALSE(store_->Open(committed).ok());
  EXPECT_FALSE(store_->Remove(committed).ok());
  EXPECT_FALSE(store_->ListIds("", 10).ok());
  crashing.reset();
  in_flight.reset();
  // What survives the "power cut": the committed blob only, removal not having happened.
  EXPECT_EQ(EngineIds(), std::vector<std::string>{committed});
  plan_.Clear();
  EXPECT_NE(Put("after the restart"), "");
}

TEST(FaultOverFsTest, KeepsTheEnginesFileAndLocalDisk) {
  std::string dir = ::testing::TempDir() + "cairn-faultfs-XXXXXX";
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  FaultPlan plan;
  {
    auto fs = OpenFsBlobStore(dir + "/data");
    ASSERT_TRUE(fs.ok());
    FaultBlobStore store(std::move(*fs), plan);
    ASSERT_NE(store.local_disk(), nullptr);
    EXPECT_TRUE(store.local_disk()->FreeBytes().ok());
    auto writer = std::move(*store.Create());
    ASSERT_TRUE(writer->Append("zero-copy", 9).ok());
    ASSERT_TRUE(writer->Commit().ok());
    auto reader = std::move(*store.Open(writer->id()));
    EXPECT_NE(reader->file(), nullptr);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cairn::blob
