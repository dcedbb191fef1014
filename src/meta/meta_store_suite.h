// The MetaStore contract as one GoogleTest suite that every engine runs. An engine instantiates it
// with a factory in its own test file:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, MetaStoreSuite,
//                            ::testing::Values(MetaStoreEngine{"sqlite", OpenMyEngine}),
//                            MetaStoreEngineName);
//
// The tests themselves are in meta_store_suite_test.cc (buckets, objects),
// meta_store_list_suite_test.cc, meta_store_search_suite_test.cc and
// meta_store_multipart_suite_test.cc. Each test gets a fresh,
// empty store.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "meta/meta_store.h"

namespace cairn::meta {

struct MetaStoreEngine {
  std::string name;
  // Opens an empty store. `scratch_dir` is a fresh directory removed after the test; an engine
  // that keeps no files (a PostgreSQL schema) may ignore it.
  std::function<std::unique_ptr<MetaStore>(const std::string& scratch_dir)> open;

  friend void PrintTo(const MetaStoreEngine& engine, std::ostream* os) { *os << engine.name; }
};

inline std::string MetaStoreEngineName(const ::testing::TestParamInfo<MetaStoreEngine>& info) {
  return info.param.name;
}

class MetaStoreSuite : public ::testing::TestWithParam<MetaStoreEngine> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Creates bucket `name`, failing the test if that fails.
  void MakeBucket(const std::string& name);
  // A small object in `bucket` whose bytes live in `blob_ids`, one 10-byte extent per id.
  static core::ObjectRecord Object(const std::string& bucket, const std::string& key,
                                   const std::vector<std::string>& blob_ids = {});
  // Puts Object(bucket, key) with no blobs, failing the test if that fails.
  void PutKey(const std::string& bucket, const std::string& key);
  // Creates bucket "b" holding `keys`.
  void Fill(const std::vector<std::string>& keys);
  // ListObjects on bucket "b", failing the test (and returning an empty page) on an error.
  core::ListPage List(const core::ListQuery& query);

  std::string scratch_dir_;
  std::unique_ptr<MetaStore> store_;
};

}  // namespace cairn::meta
