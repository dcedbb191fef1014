// Runs the shared BlobStore suite on the in-memory engine, plus what is particular to it: no file
// and no local disk, so GET reads it through ReadAt and the start-up sweep has nothing to clear.
#include "blob/mem/mem_blob_store.h"

#include <gtest/gtest.h>

#include "blob/blob_store_suite.h"

namespace cairn::blob {
namespace {

INSTANTIATE_TEST_SUITE_P(Mem, BlobStoreSuite,
                         ::testing::Values(BlobStoreEngine{
                             "mem",
                             [](const std::string&) -> std::unique_ptr<BlobStore> {
                               return std::make_unique<MemBlobStore>();
                             }}),
                         BlobStoreEngineName);

TEST(MemBlobStoreTest, HasNoFileAndNoLocalDisk) {
  MemBlobStore store;
  EXPECT_EQ(store.local_disk(), nullptr);
  auto writer = std::move(*store.Create());
  ASSERT_TRUE(writer->Append("bytes", 5).ok());
  ASSERT_TRUE(writer->Commit().ok());
  auto reader = std::move(*store.Open(writer->id()));
  EXPECT_EQ(reader->file(), nullptr);
}

// A committed blob is immutable: the writer's buffer is handed over, not shared.
TEST(MemBlobStoreTest, CommittedBytesDoNotChange) {
  MemBlobStore store;
  auto writer = std::move(*store.Create());
  ASSERT_TRUE(writer->Append("first", 5).ok());
  ASSERT_TRUE(writer->Commit().ok());
  EXPECT_FALSE(writer->Append("more", 4).ok());
  auto reader = std::move(*store.Open(writer->id()));
  std::string bytes(16, '\0');
  ASSERT_EQ(*reader->ReadAt(0, bytes.data(), bytes.size()), 5u);
  EXPECT_EQ(bytes.substr(0, 5), "first");
}

}  // namespace
}  // namespace cairn::blob
