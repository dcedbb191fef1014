// The BlobStore contract as one GoogleTest suite that every engine runs (the file-system and
// in-memory engines, and the fault wrapper with nothing armed). An engine instantiates it in its
// own test:
//
//   INSTANTIATE_TEST_SUITE_P(Fs, BlobStoreSuite,
//                            ::testing::Values(BlobStoreEngine{"fs", OpenMyEngine}),
//                            BlobStoreEngineName);
//
// The tests are in blob_store_suite_test.cc. Each test gets a fresh, empty store.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "blob/blob_store.h"

namespace cairn::blob {

struct BlobStoreEngine {
  std::string name;
  // Opens an empty store; `scratch_dir` is a fresh directory removed after the test.
  std::function<std::unique_ptr<BlobStore>(const std::string& scratch_dir)> open;
  // False for an engine whose readers fail with kStorageNotFound once their blob is removed (RADOS:
  // the documented deviation from the contract) instead of reading on.
  bool readers_outlive_remove = true;

  friend void PrintTo(const BlobStoreEngine& engine, std::ostream* os) { *os << engine.name; }
};

inline std::string BlobStoreEngineName(const ::testing::TestParamInfo<BlobStoreEngine>& info) {
  return info.param.name;
}

// Writes and commits `bytes` as a new blob of `store`, failing the test on an error; returns its
// id.
std::string PutBlob(BlobStore& store, const std::string& bytes);

class BlobStoreSuite : public ::testing::TestWithParam<BlobStoreEngine> {
 protected:
  void SetUp() override;
  void TearDown() override;

  std::string Put(const std::string& bytes);  // PutBlob into the store under test
  // The whole content of blob `id`, read through ReadAt.
  std::string ReadAll(const std::string& id);
  // Every committed id, listed in pages of `page_size`.
  std::vector<std::string> ListAll(size_t page_size = 1000);

  std::string scratch_dir_;
  std::unique_ptr<BlobStore> store_;
};

}  // namespace cairn::blob
