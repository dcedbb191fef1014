// The timing wrapper must be invisible: the whole MetaStore suite runs through it (over SQLite),
// and every call is reported once with its name.
#include "meta/timed_meta_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <mutex>

#include "meta/meta_store_suite.h"
#include "meta/sqlite/sqlite_meta_store.h"

namespace cairn::meta {
namespace {

std::unique_ptr<MetaStore> OpenSqlite(const std::string& scratch_dir) {
  SqliteOptions options;
  options.durable = false;
  auto store = OpenSqliteMetaStore(scratch_dir + "/meta.db", options);
  EXPECT_TRUE(store.ok());
  return store.ok() ? std::move(*store) : nullptr;
}

// A TimedMetaStore that owns the store it wraps.
class OwningTimedStore : public TimedMetaStore {
 public:
  explicit OwningTimedStore(std::unique_ptr<MetaStore> inner, Observer observe)
      : TimedMetaStore(*inner, std::move(observe)), inner_(std::move(inner)) {}

 private:
  std::unique_ptr<MetaStore> inner_;
};

INSTANTIATE_TEST_SUITE_P(TimedSqlite, MetaStoreSuite,
                         ::testing::Values(MetaStoreEngine{
                             "timed_sqlite",
                             [](const std::string& dir) -> std::unique_ptr<MetaStore> {
                               auto inner = OpenSqlite(dir);
                               return std::make_unique<OwningTimedStore>(
                                   std::move(inner),
                                   [](std::string_view, std::chrono::nanoseconds) {});
                             }}),
                         MetaStoreEngineName);

TEST(TimedMetaStore, ReportsEachCallByName) {
  const std::string dir = ::testing::TempDir() + "/timed-meta-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  auto inner = OpenSqlite(dir);
  std::map<std::string, int> calls;
  std::chrono::nanoseconds total{0};
  TimedMetaStore store(*inner, [&](std::string_view call, std::chrono::nanoseconds took) {
    calls[std::string(call)] += 1;
    total += took;
  });
  ASSERT_TRUE(store.CreateBucket({"b", NowMillis(), "auto"}).ok());
  EXPECT_EQ(store.GetObject("b", "missing").error().code, ErrorCode::kNoSuchKey);
  EXPECT_EQ(store.GetBucket("nope").error().code, ErrorCode::kNoSuchBucket);
  EXPECT_EQ(calls,
            (std::map<std::string, int>{{"CreateBucket", 1}, {"GetBucket", 1}, {"GetObject", 1}}));
  EXPECT_GT(total.count(), 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cairn::meta
