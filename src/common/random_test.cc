#include "common/random.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

namespace cairn {
namespace {

bool IsHex(const std::string& s, bool upper) {
  for (char c : s) {
    const bool digit = c >= '0' && c <= '9';
    const bool letter = upper ? (c >= 'A' && c <= 'F') : (c >= 'a' && c <= 'f');
    if (!digit && !letter) return false;
  }
  return true;
}

TEST(RandomHex, LowercaseOfTheAskedLength) {
  const std::string id = RandomHex(24);
  EXPECT_EQ(id.size(), 48u);
  EXPECT_TRUE(IsHex(id, false)) << id;
  EXPECT_NE(RandomHex(24), id);
}

TEST(UniqueIdHex, SixteenUppercaseDigitsNeverRepeatedAcrossThreads) {
  constexpr int kPerThread = 50000;
  std::vector<std::vector<std::string>> made(4);
  std::vector<std::thread> threads;
  for (auto& ids : made) {
    threads.emplace_back([&ids] {
      for (int i = 0; i < kPerThread; ++i) ids.push_back(UniqueIdHex());
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> seen;
  for (const auto& ids : made) {
    for (const auto& id : ids) {
      ASSERT_EQ(id.size(), 16u);
      ASSERT_TRUE(IsHex(id, true)) << id;
      seen.insert(id);
    }
  }
  EXPECT_EQ(seen.size(), made.size() * kPerThread);
}

}  // namespace
}  // namespace cairn
