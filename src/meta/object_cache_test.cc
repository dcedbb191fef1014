// The object cache serves what the store said, forgets a key on every write, refuses fills that
// raced with a write, and stays within its bytes. The whole MetaStore suite also runs through the
// caching decorator: it must not change a single answer.
#include "meta/object_cache.h"

#include <gtest/gtest.h>

#include "meta/caching_meta_store.h"
#include "meta/meta_store_suite.h"
#include "meta/sqlite/sqlite_meta_store.h"

namespace cairn::meta {
namespace {

core::ObjectRecord Record(const std::string& key, const std::string& bytes) {
  core::ObjectRecord o;
  o.bucket = "b";
  o.key = key;
  o.size = bytes.size();
  o.etag = "e-" + bytes;
  o.inline_data = bytes;
  return o;
}

TEST(ObjectCache, ServesWhatWasFilledUntilDropped) {
  ObjectCache cache(1 << 20);
  EXPECT_EQ(cache.Find("b", "k"), nullptr);
  cache.Fill(Record("k", "v1"), cache.Generation("b", "k"));
  auto hit = cache.Find("b", "k");
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->inline_data, "v1");
  EXPECT_EQ(cache.Find("b2", "k"), nullptr);
  cache.Drop("b", "k");
  EXPECT_EQ(cache.Find("b", "k"), nullptr);
  EXPECT_EQ(hit->inline_data, "v1") << "a reader keeps the record it got";
}

TEST(ObjectCache, AFillThatRacedWithAWriteIsRefused) {
  ObjectCache cache(1 << 20);
  const uint64_t before = cache.Generation("b", "k");  // a GET starts its lookup...
  cache.Drop("b", "k");                                // ...a PUT commits and drops the key...
  cache.Fill(Record("k", "old"), before);              // ...the GET found the old version
  EXPECT_EQ(cache.Find("b", "k"), nullptr);
  cache.Fill(Record("k", "new"), cache.Generation("b", "k"));
  EXPECT_EQ(cache.Find("b", "k")->inline_data, "new");
}

TEST(ObjectCache, StaysWithinItsBytesDroppingTheLeastRecentlyUsed) {
  ObjectCache cache(64 << 10);
  const std::string kb(1024, 'x');
  for (int i = 0; i < 200; ++i) {
    const std::string key = "k" + std::to_string(i);
    cache.Fill(Record(key, kb), cache.Generation("b", key));
    cache.Find("b", "k0");  // k0 stays hot
  }
  EXPECT_LE(cache.bytes(), 64u << 10);
  EXPECT_NE(cache.Find("b", "k0"), nullptr);
  EXPECT_EQ(cache.Find("b", "k1"), nullptr);
  EXPECT_NE(cache.Find("b", "k199"), nullptr);
  // One record too large for a fair share of the cache is not kept at all.
  cache.Fill(Record("huge", std::string(8 << 10, 'y')), cache.Generation("b", "huge"));
  EXPECT_EQ(cache.Find("b", "huge"), nullptr);
}

std::unique_ptr<MetaStore> OpenSqlite(const std::string& scratch_dir) {
  SqliteOptions options;
  options.durable = false;
  auto store = OpenSqliteMetaStore(scratch_dir + "/meta.db", options);
  EXPECT_TRUE(store.ok());
  return store.ok() ? std::move(*store) : nullptr;
}

// A caching store that owns its engine and cache, for the suite.
class OwningCachingStore : public CachingMetaStore {
 public:
  OwningCachingStore(std::unique_ptr<MetaStore> inner, std::unique_ptr<ObjectCache> cache)
      : CachingMetaStore(*inner, *cache), inner_(std::move(inner)), cache_(std::move(cache)) {}

 private:
  std::unique_ptr<MetaStore> inner_;
  std::unique_ptr<ObjectCache> cache_;
};

INSTANTIATE_TEST_SUITE_P(CachedSqlite, MetaStoreSuite,
                         ::testing::Values(MetaStoreEngine{
                             "cached_sqlite",
                             [](const std::string& dir) -> std::unique_ptr<MetaStore> {
                               return std::make_unique<OwningCachingStore>(
                                   OpenSqlite(dir), std::make_unique<ObjectCache>(1 << 20));
                             }}),
                         MetaStoreEngineName);

}  // namespace
}  // namespace cairn::meta
