// The shared BlobStore suite: what every engine must do, whatever it keeps bytes in. Engine
// details (file layout, temporaries on disk) are tested beside each engine.
#include "blob/blob_store_suite.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <thread>

namespace cairn::blob {

void BlobStoreSuite::SetUp() {
  std::string pattern = ::testing::TempDir() + "cairn-blob-XXXXXX";
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  scratch_dir_ = pattern;
  store_ = GetParam().open(scratch_dir_);
  ASSERT_NE(store_, nullptr);
}

void BlobStoreSuite::TearDown() {
  store_.reset();
  if (!scratch_dir_.empty()) std::filesystem::remove_all(scratch_dir_);
}

std::string BlobStoreSuite::Put(const std::string& bytes) {
  Result<std::unique_ptr<BlobWriter>> writer = store_->Create();
  EXPECT_TRUE(writer.ok());
  if (!writer.ok()) return "";
  EXPECT_TRUE((*writer)->Append(bytes.data(), bytes.size()).ok());
  Status s = (*writer)->Commit();
  EXPECT_TRUE(s.ok()) << s.error().Message();
  return (*writer)->id();
}

std::string BlobStoreSuite::ReadAll(const std::string& id) {
  Result<std::unique_ptr<BlobReader>> reader = store_->Open(id);
  EXPECT_TRUE(reader.ok()) << reader.error().Message();
  if (!reader.ok()) return "";
  std::string out((*reader)->size(), '\0');
  Result<size_t> n = (*reader)->ReadAt(0, out.data(), out.size());
  EXPECT_TRUE(n.ok());
  EXPECT_EQ(n.ok() ? *n : 0, out.size());
  return out;
}

namespace {

std::string Pattern(size_t size) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 131 + i / 251) & 0xFF);
  return out;
}

TEST_P(BlobStoreSuite, WriteCommitReadRoundTrip) {
  const std::string bytes = Pattern(3 * 1024 * 1024 + 17);
  Result<std::unique_ptr<BlobWriter>> writer = store_->Create();
  ASSERT_TRUE(writer.ok());
  // Uneven appends, as a streaming body delivers them.
  for (size_t at = 0; at < bytes.size();) {
    size_t n = std::min<size_t>(bytes.size() - at, 65536 + at % 1000);
    ASSERT_TRUE((*writer)->Append(bytes.data() + at, n).ok());
    at += n;
  }
  EXPECT_EQ((*writer)->size(), bytes.size());
  ASSERT_TRUE((*writer)->Commit().ok());
  EXPECT_TRUE(ReadAll((*writer)->id()) == bytes);
}

TEST_P(BlobStoreSuite, EmptyBlob) {
  std::string id = Put("");
  Result<std::unique_ptr<BlobReader>> reader = store_->Open(id);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->size(), 0u);
  char c;
  EXPECT_EQ(*(*reader)->ReadAt(0, &c, 1), 0u);
}

TEST_P(BlobStoreSuite, ReadAtOffsets) {
  const std::string bytes = Pattern(10000);
  std::string id = Put(bytes);
  Result<std::unique_ptr<BlobReader>> reader = store_->Open(id);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->size(), bytes.size());
  std::string buffer(100, '\0');
  ASSERT_EQ(*(*reader)->ReadAt(4321, buffer.data(), 100), 100u);
  EXPECT_EQ(buffer, bytes.substr(4321, 100));
  // A read that runs off the end returns what is there; at or past the end, nothing.
  ASSERT_EQ(*(*reader)->ReadAt(9950, buffer.data(), 100), 50u);
  EXPECT_EQ(buffer.substr(0, 50), bytes.substr(9950));
  EXPECT_EQ(*(*reader)->ReadAt(10000, buffer.data(), 100), 0u);
  EXPECT_EQ(*(*reader)->ReadAt(20000, buffer.data(), 100), 0u);
  // Reads do not disturb each other (positioned reads, no shared offset).
  ASSERT_EQ(*(*reader)->ReadAt(0, buffer.data(), 10), 10u);
  EXPECT_EQ(buffer.substr(0, 10), bytes.substr(0, 10));
}

TEST_P(BlobStoreSuite, IdsAreFreshLowercaseHex) {
  std::set<std::string> ids;
  for (int i = 0; i < 50; ++i) {
    Result<std::unique_ptr<BlobWriter>> writer = store_->Create();
    ASSERT_TRUE(writer.ok());
    const std::string& id = (*writer)->id();
    EXPECT_EQ(id.size(), 32u);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 50u);
}

TEST_P(BlobStoreSuite, UncommittedWriterLeavesNothing) {
  std::string id;
  {
    Result<std::unique_ptr<BlobWriter>> writer = store_->Create();
    ASSERT_TRUE(writer.ok());
    id = (*writer)->id();
    ASSERT_TRUE((*writer)->Append("abc", 3).ok());
    EXPECT_FALSE(store_->Open(id).ok());  // not visible before Commit
  }
  EXPECT_FALSE(store_->Open(id).ok());
  EXPECT_TRUE(store_->ListIds()->empty());
}

TEST_P(BlobStoreSuite, WriterIsClosedAfterCommit) {
  Result<std::unique_ptr<BlobWriter>> writer = store_->Create();
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Append("abc", 3).ok());
  ASSERT_TRUE((*writer)->Commit().ok());
  EXPECT_FALSE((*writer)->Append("d", 1).ok());
  EXPECT_FALSE((*writer)->Commit().ok());
  EXPECT_EQ(ReadAll((*writer)->id()), "abc");
}

TEST_P(BlobStoreSuite, ListIdsReturnsCommittedBlobs) {
  std::set<std::string> committed;
  for (int i = 0; i < 20; ++i) committed.insert(Put("blob " + std::to_string(i)));
  Result<std::unique_ptr<BlobWriter>> pending = store_->Create();  // not listed
  ASSERT_TRUE(pending.ok());
  Result<std::vector<std::string>> ids = store_->ListIds();
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(std::set<std::string>(ids->begin(), ids->end()), committed);
  EXPECT_EQ(ids->size(), committed.size());
}

TEST_P(BlobStoreSuite, RemoveAndRemoveMissing) {
  std::string id = Put("bytes");
  ASSERT_TRUE(store_->Remove(id).ok());
  EXPECT_FALSE(store_->Open(id).ok());
  EXPECT_TRUE(store_->ListIds()->empty());
  EXPECT_TRUE(store_->Remove(id).ok());                                  // already gone
  EXPECT_TRUE(store_->Remove("0123456789abcdef0123456789abcdef").ok());  // never existed
}

TEST_P(BlobStoreSuite, OpenMissingFails) {
  Result<std::unique_ptr<BlobReader>> reader = store_->Open("0123456789abcdef0123456789abcdef");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.error().code, ErrorCode::kInternalError);
}

TEST_P(BlobStoreSuite, ReaderOutlivesRemove) {
  // A GET in flight keeps its bytes even if an overwrite frees the blob meanwhile.
  std::string id = Put("still here");
  Result<std::unique_ptr<BlobReader>> reader = store_->Open(id);
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE(store_->Remove(id).ok());
  std::string buffer(10, '\0');
  ASSERT_EQ(*(*reader)->ReadAt(0, buffer.data(), 10), 10u);
  EXPECT_EQ(buffer, "still here");
}

TEST_P(BlobStoreSuite, RemoveTemporariesKeepsCommittedBlobs) {
  std::string id = Put("kept");
  ASSERT_TRUE(store_->RemoveTemporaries().ok());
  EXPECT_EQ(ReadAll(id), "kept");
}

TEST_P(BlobStoreSuite, FreeBytesIsReported) {
  Result<uint64_t> free = store_->FreeBytes();
  ASSERT_TRUE(free.ok());
  EXPECT_GT(*free, 0u);
}

TEST_P(BlobStoreSuite, ConcurrentWriters) {
  constexpr int kThreads = 8;
  std::vector<std::string> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        Result<std::unique_ptr<BlobWriter>> writer = store_->Create();
        if (!writer.ok()) return;
        std::string bytes = "thread " + std::to_string(t) + " blob " + std::to_string(i);
        if (!(*writer)->Append(bytes.data(), bytes.size()).ok() || !(*writer)->Commit().ok()) {
          return;
        }
        ids[t] = (*writer)->id();  // the last one
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(store_->ListIds()->size(), size_t{kThreads * 10});
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(ReadAll(ids[t]), "thread " + std::to_string(t) + " blob 9");
  }
}

}  // namespace
}  // namespace cairn::blob
