// The shared BlobStore suite: what every engine must do, whatever it keeps bytes in. Engine
// details (file layout, temporaries on disk) are tested beside each engine.
#include "blob/blob_store_suite.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <functional>
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

std::string BlobStoreSuite::Put(const std::string& bytes) { return PutBlob(*store_, bytes); }

std::string PutBlob(BlobStore& store, const std::string& bytes) {
  Result<std::unique_ptr<BlobWriter>> writer = store.Create();
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

std::vector<std::string> BlobStoreSuite::ListAll(size_t page_size) {
  std::vector<std::string> all;
  for (;;) {
    Result<std::vector<std::string>> page =
        store_->ListIds(all.empty() ? "" : all.back(), page_size);
    EXPECT_TRUE(page.ok()) << page.error().Message();
    if (!page.ok()) return all;
    all.insert(all.end(), page->begin(), page->end());
    if (page->size() < page_size) return all;
  }
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
  EXPECT_TRUE(ListAll().empty());
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
  const std::vector<std::string> ids = ListAll();
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), committed);
  EXPECT_EQ(ids.size(), committed.size());
}

TEST_P(BlobStoreSuite, RemoveAndRemoveMissing) {
  std::string id = Put("bytes");
  ASSERT_TRUE(store_->Remove(id).ok());
  EXPECT_FALSE(store_->Open(id).ok());
  EXPECT_TRUE(ListAll().empty());
  EXPECT_TRUE(store_->Remove(id).ok());                                  // already gone
  EXPECT_TRUE(store_->Remove("0123456789abcdef0123456789abcdef").ok());  // never existed
}

TEST_P(BlobStoreSuite, OpenMissingFails) {
  Result<std::unique_ptr<BlobReader>> reader = store_->Open("0123456789abcdef0123456789abcdef");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.error().code, ErrorCode::kStorageNotFound);
}

TEST_P(BlobStoreSuite, ReaderOutlivesRemove) {
  // A GET in flight keeps its bytes even if an overwrite frees the blob meanwhile.
  std::string id = Put("still here");
  Result<std::unique_ptr<BlobReader>> reader = store_->Open(id);
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE(store_->Remove(id).ok());
  std::string buffer(10, '\0');
  Result<size_t> n = (*reader)->ReadAt(0, buffer.data(), 10);
  if (!GetParam().readers_outlive_remove) {
    // Never other bytes: the read fails, as the engine documents.
    ASSERT_FALSE(n.ok());
    EXPECT_EQ(n.error().code, ErrorCode::kStorageNotFound) << n.error().Message();
    return;
  }
  ASSERT_TRUE(n.ok()) << n.error().Message();
  ASSERT_EQ(*n, 10u);
  EXPECT_EQ(buffer, "still here");
}

// Reads [first, first + length) of `reader` front to back, piece i being at most piece_size(i)
// bytes; stops at the first failed or short read (a test failure).
std::string ReadInPieces(BlobReader& reader, uint64_t first, uint64_t length,
                         const std::function<size_t(uint64_t)>& piece_size) {
  std::string got, buffer;
  for (uint64_t at = first, i = 0; at < first + length; ++i) {
    const size_t want = std::min<uint64_t>(piece_size(i), first + length - at);
    buffer.resize(want);
    Result<size_t> n = reader.ReadAt(at, buffer.data(), want);
    if (!n.ok() || *n != want) {
      ADD_FAILURE() << "read at " << at << ": "
                    << (n.ok() ? std::to_string(*n) + " bytes" : n.error().Message());
      return got;
    }
    got.append(buffer);
    at += want;
  }
  return got;
}

TEST_P(BlobStoreSuite, RangeReadsInPieces) {
  // Piece by piece, with no hint of what comes next.
  const std::string bytes = Pattern(1 << 20);
  Result<std::unique_ptr<BlobReader>> reader = store_->Open(Put(bytes));
  ASSERT_TRUE(reader.ok());
  const uint64_t first = 12345, length = 700001;
  EXPECT_TRUE(ReadInPieces(**reader, first, length, [](uint64_t) { return 65536; }) ==
              bytes.substr(first, length));
}

TEST_P(BlobStoreSuite, ReadsAfterAHintOfTheRange) {
  // How GET and part copies stream from an engine without a file: the range announced
  // (WillRead), then read front to back in pieces, here of changing sizes. A read elsewhere
  // afterwards, and a hint that runs past the end, change nothing about the bytes.
  const std::string bytes = Pattern(1 << 20);
  Result<std::unique_ptr<BlobReader>> reader = store_->Open(Put(bytes));
  ASSERT_TRUE(reader.ok());
  const uint64_t first = 12345, length = 700001;
  (*reader)->WillRead(first, length);
  EXPECT_TRUE(ReadInPieces(**reader, first, length, [](uint64_t i) {
                return 1000 + (i * 7919) % 150000;
              }) == bytes.substr(first, length));
  std::string buffer(5000, '\0');
  ASSERT_EQ(*(*reader)->ReadAt(100, buffer.data(), 5000), 5000u);
  EXPECT_TRUE(buffer.substr(0, 5000) == bytes.substr(100, 5000));
  (*reader)->WillRead(bytes.size() - 10, 1000);
  ASSERT_EQ(*(*reader)->ReadAt(bytes.size() - 10, buffer.data(), 100), 10u);
  EXPECT_TRUE(buffer.substr(0, 10) == bytes.substr(bytes.size() - 10));
}

TEST_P(BlobStoreSuite, ListIdsPagesInAscendingOrder) {
  std::set<std::string> committed;
  for (int i = 0; i < 25; ++i) committed.insert(Put("blob " + std::to_string(i)));
  Result<std::vector<std::string>> first = store_->ListIds("", 7);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->size(), 7u);
  // Pages of 7: 7, 7, 7 and a last one of 4, together every id once, in order.
  const std::vector<std::string> all = ListAll(7);
  EXPECT_EQ(all, std::vector<std::string>(committed.begin(), committed.end()));
  EXPECT_EQ(std::vector<std::string>(all.begin(), all.begin() + 7), *first);
  // After the last id, nothing; a cursor need not be an id.
  EXPECT_TRUE(store_->ListIds(all.back(), 7)->empty());
  const std::string middle = all[12].substr(0, 5);
  Result<std::vector<std::string>> from_middle = store_->ListIds(middle, 100);
  ASSERT_TRUE(from_middle.ok());
  ASSERT_FALSE(from_middle->empty());
  EXPECT_GT(from_middle->front(), middle);
  EXPECT_EQ(from_middle->back(), all.back());
}

TEST_P(BlobStoreSuite, ListingGoesOnWhileAPageIsRemoved) {
  // The start-up sweep removes a page's orphans before it asks for the next page.
  for (int i = 0; i < 10; ++i) Put("orphan " + std::to_string(i));
  std::string after;
  size_t removed = 0;
  for (;;) {
    Result<std::vector<std::string>> page = store_->ListIds(after, 3);
    ASSERT_TRUE(page.ok());
    for (const std::string& id : *page) {
      ASSERT_TRUE(store_->Remove(id).ok());
      ++removed;
    }
    if (page->size() < 3) break;
    after = page->back();
  }
  EXPECT_EQ(removed, 10u);
  EXPECT_TRUE(ListAll().empty());
}

TEST_P(BlobStoreSuite, UncommittedWritersAreInvisibleAndDiscarded) {
  const std::string kept = Put("committed");
  std::vector<std::unique_ptr<BlobWriter>> pending;
  for (int i = 0; i < 5; ++i) {
    Result<std::unique_ptr<BlobWriter>> writer = store_->Create();
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Append("pending bytes", 13).ok());
    pending.push_back(std::move(*writer));
  }
  EXPECT_EQ(ListAll(), std::vector<std::string>{kept});
  std::vector<std::string> ids;
  for (const auto& writer : pending) {
    ids.push_back(writer->id());
    EXPECT_FALSE(store_->Open(writer->id()).ok());
  }
  pending.clear();
  EXPECT_EQ(ListAll(), std::vector<std::string>{kept});
  for (const std::string& id : ids) EXPECT_FALSE(store_->Open(id).ok()) << id;
  EXPECT_EQ(ReadAll(kept), "committed");
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
  EXPECT_EQ(ListAll().size(), size_t{kThreads * 10});
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(ReadAll(ids[t]), "thread " + std::to_string(t) + " blob 9");
  }
}

}  // namespace
}  // namespace cairn::blob
