#include "dashboard/session_store.h"

#include <gtest/gtest.h>

namespace cairn::dashboard {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

const TimePoint kNow = TimePoint(std::chrono::milliseconds(1'700'000'000'000));

TEST(SessionStore, FindsACreatedSessionUntilItExpires) {
  SessionStore store(seconds(3600));
  Session s = store.Create("AKID", "digest-AKID", kNow);
  EXPECT_EQ(s.token.size(), 64u);
  EXPECT_EQ(s.expires, kNow + hours(1));
  auto found = store.Find(s.token, kNow + seconds(3599));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->access_key_id, "AKID");
  EXPECT_EQ(found->secret_digest, "digest-AKID");
  EXPECT_FALSE(store.Find(s.token, kNow + seconds(3600)));
  EXPECT_FALSE(store.Find(s.token, kNow));  // an expired session is gone for good
}

TEST(SessionStore, TokensAreUniqueAndUnknownTokensFindNothing) {
  SessionStore store(seconds(60));
  Session a = store.Create("AKID", "digest-AKID", kNow);
  Session b = store.Create("AKID", "digest-AKID", kNow);
  EXPECT_NE(a.token, b.token);
  EXPECT_FALSE(store.Find("", kNow));
  EXPECT_FALSE(store.Find(a.token.substr(1), kNow));
  EXPECT_FALSE(store.Find(std::string(64, '0'), kNow));
}

TEST(SessionStore, SignOutRemovesOnlyThatSession) {
  SessionStore store(seconds(60));
  Session a = store.Create("AKID", "digest-AKID", kNow);
  Session b = store.Create("AKID", "digest-AKID", kNow);
  store.Remove(a.token);
  EXPECT_FALSE(store.Find(a.token, kNow));
  EXPECT_TRUE(store.Find(b.token, kNow));
}

TEST(SessionStore, WhenFullTheOldestSessionMakesRoom) {
  SessionStore store(seconds(60), /*capacity=*/2);
  Session first = store.Create("A", "digest-A", kNow);
  Session second = store.Create("B", "digest-B", kNow + seconds(1));
  Session third = store.Create("C", "digest-C", kNow + seconds(2));
  EXPECT_FALSE(store.Find(first.token, kNow + seconds(2)));
  EXPECT_TRUE(store.Find(second.token, kNow + seconds(2)));
  EXPECT_TRUE(store.Find(third.token, kNow + seconds(2)));
}

}  // namespace
}  // namespace cairn::dashboard
