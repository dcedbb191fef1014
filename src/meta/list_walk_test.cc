// The listing walk against an in-memory scanner that counts its work, so the claim that a
// delimiter page costs O(page) seeks and rows, not O(bucket), is checked here once for every
// engine. The shared suite checks the results against real engines.
#include "meta/list_walk.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace cairn::meta {
namespace {

class CountingScanner final : public KeyScanner {
 public:
  explicit CountingScanner(std::set<std::string> keys) : keys_(std::move(keys)) {}

  Status Seek(const std::string& from, const std::optional<std::string>& before,
              uint64_t limit) override {
    ++seeks;
    it_ = keys_.lower_bound(from);
    before_ = before;
    left_ = limit;
    return Status::Ok();
  }
  Result<bool> Next(std::string* key) override {
    if (it_ == keys_.end() || left_ == 0 || (before_ && *it_ >= *before_)) return false;
    ++rows;
    --left_;
    *key = *it_++;
    current_ = *key;
    return true;
  }
  Result<core::ObjectRecord> Current() override {
    core::ObjectRecord o;
    o.key = current_;
    return o;
  }

  int seeks = 0;
  int rows = 0;

 private:
  std::set<std::string> keys_;
  std::set<std::string>::iterator it_;
  std::optional<std::string> before_;
  uint64_t left_ = 0;
  std::string current_;
};

TEST(PrefixSuccessor, IncrementsTheLastByteBelow0xFF) {
  EXPECT_EQ(PrefixSuccessor("a"), "b");
  EXPECT_EQ(PrefixSuccessor("a/"), "a0");
  EXPECT_EQ(PrefixSuccessor("a\xff"), "b");
  EXPECT_EQ(PrefixSuccessor("a\xfe\xff\xff"), "a\xff");
  EXPECT_EQ(PrefixSuccessor("\xef\xbf\xbf"), "\xef\xbf\xc0");
  EXPECT_EQ(PrefixSuccessor(""), std::nullopt);
  EXPECT_EQ(PrefixSuccessor("\xff\xff"), std::nullopt);
}

TEST(WalkListing, DelimiterPageSeeksOncePerCommonPrefix) {
  std::set<std::string> keys;
  for (int p = 0; p < 10; ++p) {
    for (int i = 0; i < 2000; ++i) {
      keys.insert("dir" + std::to_string(p) + "/" + std::to_string(10000 + i));
    }
  }
  CountingScanner scanner(keys);
  Result<core::ListPage> page = WalkListing(core::ListQuery{"", "/", "", 1000}, scanner);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->common_prefixes.size(), 10u);
  EXPECT_FALSE(page->truncated);
  EXPECT_EQ(scanner.seeks, 11);  // one to start, then one past each group
  EXPECT_EQ(scanner.rows, 10);   // one row per group, none of the 19,990 others
}

TEST(WalkListing, TruncationReadsOneRowPastThePage) {
  std::set<std::string> keys;
  for (int i = 0; i < 100; ++i) keys.insert("k" + std::to_string(100 + i));
  CountingScanner scanner(keys);
  Result<core::ListPage> page = WalkListing(core::ListQuery{"", "", "", 10}, scanner);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->objects.size(), 10u);
  EXPECT_TRUE(page->truncated);
  EXPECT_EQ(page->next_marker, "k109");
  EXPECT_EQ(scanner.seeks, 1);
  EXPECT_EQ(scanner.rows, 11);
}

TEST(WalkListing, StartAfterACommonPrefixSeeksPastItsGroup) {
  std::set<std::string> keys = {"a/1", "a/2", "a/3", "b"};
  CountingScanner scanner(keys);
  Result<core::ListPage> page = WalkListing(core::ListQuery{"", "/", "a/", 10}, scanner);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->objects.size(), 1u);
  EXPECT_EQ(page->objects[0].key, "b");
  EXPECT_EQ(scanner.rows, 1);
}

TEST(WalkListing, MaxKeysZeroDoesNoWork) {
  CountingScanner scanner({"a"});
  Result<core::ListPage> page = WalkListing(core::ListQuery{"", "", "", 0}, scanner);
  ASSERT_TRUE(page.ok());
  EXPECT_FALSE(page->truncated);
  EXPECT_EQ(scanner.seeks, 0);
}

}  // namespace
}  // namespace cairn::meta
