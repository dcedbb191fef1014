// Runs the shared BlobStore suite on the file system engine, plus what only this engine has:
// the on-disk layout, temporaries in tmp/ (and their removal), free space, stray files, the file
// for sendfile, and ids that must never become paths outside the store.
#include "blob/fs/fs_blob_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "blob/blob_store_suite.h"

namespace cairn::blob {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<BlobStore> OpenForSuite(const std::string& scratch_dir) {
  Result<std::unique_ptr<BlobStore>> store = OpenFsBlobStore(scratch_dir + "/data");
  EXPECT_TRUE(store.ok()) << store.error().Message();
  return store.ok() ? std::move(*store) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(Fs, BlobStoreSuite, ::testing::Values(BlobStoreEngine{"fs", OpenForSuite}),
                         BlobStoreEngineName);

class FsBlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "cairn-fsblob-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    dir_ = root_ + "/data";
    Result<std::unique_ptr<BlobStore>> store = OpenFsBlobStore(dir_);
    ASSERT_TRUE(store.ok()) << store.error().Message();
    store_ = std::move(*store);
    disk_ = store_->local_disk();
    ASSERT_NE(disk_, nullptr);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(root_);
  }

  std::string Put(const std::string& bytes) {
    auto writer = std::move(*store_->Create());
    EXPECT_TRUE(writer->Append(bytes.data(), bytes.size()).ok());
    EXPECT_TRUE(writer->Commit().ok());
    return writer->id();
  }
  size_t TempCount() {
    return std::distance(fs::directory_iterator(dir_ + "/tmp"), fs::directory_iterator());
  }
  static void Touch(const std::string& path) { std::ofstream(path) << "stray"; }

  std::string root_;
  std::string dir_;
  std::unique_ptr<BlobStore> store_;
  LocalDisk* disk_ = nullptr;
};

TEST_F(FsBlobStoreTest, CommittedBlobLivesInItsFanOutDirectory) {
  std::string id = Put("hello");
  const std::string path = dir_ + "/blobs/" + id.substr(0, 2) + "/" + id.substr(2, 2) + "/" + id;
  ASSERT_TRUE(fs::is_regular_file(path)) << path;
  EXPECT_EQ(fs::file_size(path), 5u);
  EXPECT_EQ(TempCount(), 0u);
}

// Whatever the process umask, blobs are the owner's alone.
TEST_F(FsBlobStoreTest, BlobsAndTheirDirectoriesAreOwnerOnly) {
  const mode_t previous = umask(0);
  const std::string id = Put("private");
  umask(previous);
  const std::string first = dir_ + "/blobs/" + id.substr(0, 2);
  for (const std::string& path :
       {dir_ + "/blobs", dir_ + "/tmp", first, first + "/" + id.substr(2, 2)}) {
    struct stat st;
    ASSERT_EQ(stat(path.c_str(), &st), 0) << path;
    EXPECT_EQ(st.st_mode & 0777, 0700u) << path;
  }
  struct stat st;
  ASSERT_EQ(stat((first + "/" + id.substr(2, 2) + "/" + id).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(FsBlobStoreTest, WriterWritesIntoTmpUntilCommit) {
  auto writer = std::move(*store_->Create());
  ASSERT_TRUE(writer->Append("abc", 3).ok());
  EXPECT_TRUE(fs::is_regular_file(dir_ + "/tmp/" + writer->id() + ".tmp"));
  ASSERT_TRUE(writer->Commit().ok());
  EXPECT_EQ(TempCount(), 0u);
}

TEST_F(FsBlobStoreTest, UncommittedWriterLeavesNoTemporary) {
  {
    auto writer = std::move(*store_->Create());
    ASSERT_TRUE(writer->Append("abc", 3).ok());
    EXPECT_EQ(TempCount(), 1u);
  }
  EXPECT_EQ(TempCount(), 0u);
  EXPECT_TRUE(store_->ListIds("", 10)->empty());
}

TEST_F(FsBlobStoreTest, RemoveTemporariesClearsCrashLeftovers) {
  std::string id = Put("kept");
  // What a crash mid-write leaves behind.
  Touch(dir_ + "/tmp/0123456789abcdef0123456789abcdef.tmp");
  Touch(dir_ + "/tmp/junk");
  ASSERT_EQ(TempCount(), 2u);
  ASSERT_TRUE(disk_->RemoveTemporaries().ok());
  EXPECT_EQ(TempCount(), 0u);
  EXPECT_TRUE(store_->Open(id).ok());
}

TEST_F(FsBlobStoreTest, ListIdsIgnoresStrayFiles) {
  std::string id = Put("real");
  const std::string fan = dir_ + "/blobs/" + id.substr(0, 2) + "/" + id.substr(2, 2);
  Touch(dir_ + "/blobs/README");
  Touch(dir_ + "/blobs/zz");
  Touch(fan + "/not-an-id");
  Touch(fan + "/ffffffffffffffffffffffffffffffff");  // an id in the wrong fan-out directory
  Result<std::vector<std::string>> ids = store_->ListIds("", 10);
  ASSERT_TRUE(ids.ok()) << ids.error().Message();
  EXPECT_EQ(*ids, (std::vector<std::string>{id}));
}

TEST_F(FsBlobStoreTest, ReaderOffersItsFile) {
  std::string id = Put("sendfile me");
  auto reader = std::move(*store_->Open(id));
  const FileBacking* file = reader->file();
  ASSERT_NE(file, nullptr);
  char bytes[11];
  ASSERT_EQ(pread(file->fd, bytes, sizeof bytes, 0), 11);
  EXPECT_EQ(std::string(bytes, 11), "sendfile me");
}

TEST_F(FsBlobStoreTest, FreeBytesIsReported) {
  Result<uint64_t> free = disk_->FreeBytes();
  ASSERT_TRUE(free.ok());
  EXPECT_GT(*free, 0u);
}

// Ids spread over many fan-out directories still list in order, page after page, and a page can
// end in the middle of a directory.
TEST_F(FsBlobStoreTest, PagesCrossFanOutDirectories) {
  std::vector<std::string> ids;
  for (int i = 0; i < 300; ++i) ids.push_back(Put("x"));
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> listed;
  for (;;) {
    auto page = store_->ListIds(listed.empty() ? "" : listed.back(), 13);
    ASSERT_TRUE(page.ok()) << page.error().Message();
    listed.insert(listed.end(), page->begin(), page->end());
    if (page->size() < 13) break;
  }
  EXPECT_EQ(listed, ids);
}

TEST_F(FsBlobStoreTest, MalformedIdsNeverBecomePaths) {
  Touch(root_ + "/victim");
  for (const std::string& id :
       {std::string("../../victim"), std::string("ABCDEF0123456789ABCDEF0123456789"),
        std::string("abc"), std::string("")}) {
    EXPECT_FALSE(store_->Open(id).ok()) << id;
    EXPECT_FALSE(store_->Remove(id).ok()) << id;
  }
  EXPECT_TRUE(fs::exists(root_ + "/victim"));
}

TEST_F(FsBlobStoreTest, ReopenFindsCommittedBlobs) {
  std::string id = Put("durable");
  store_.reset();
  Result<std::unique_ptr<BlobStore>> reopened = OpenFsBlobStore(dir_);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(*(*reopened)->ListIds("", 10), (std::vector<std::string>{id}));
  EXPECT_TRUE((*reopened)->Open(id).ok());
}

}  // namespace
}  // namespace cairn::blob
