// FailureLimiter on a clock the test moves: the limit, the sliding window, Retry-After, and the
// bound on what an attacker can make it remember.
#include "auth/failure_limiter.h"

#include <gtest/gtest.h>

#include <thread>

namespace cairn::auth {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class FailureLimiterTest : public ::testing::Test {
 protected:
  FailureLimiter Make(FailureLimits limits = {}) {
    return FailureLimiter(limits, [this] { return now_; });
  }
  std::chrono::steady_clock::time_point now_{seconds(1000)};
};

TEST_F(FailureLimiterTest, TenFailuresAreAllowedTheEleventhIsLimited) {
  FailureLimiter limiter = Make();
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(limiter.RetryAfter("AKID"), seconds(0)) << i;
    EXPECT_EQ(limiter.RecordFailure("AKID"), seconds(0)) << i;
    now_ += seconds(1);
  }
  // The first failure was at 1000 s, now is 1010 s: it leaves the window at 1060 s.
  EXPECT_EQ(limiter.RetryAfter("AKID"), seconds(50));
  EXPECT_EQ(limiter.RecordFailure("AKID"), seconds(50));
}

TEST_F(FailureLimiterTest, IdsAreCountedApart) {
  FailureLimiter limiter = Make();
  for (int i = 0; i < 10; ++i) limiter.RecordFailure("attacked");
  EXPECT_GT(limiter.RetryAfter("attacked"), seconds(0));
  EXPECT_EQ(limiter.RetryAfter("other"), seconds(0));
  EXPECT_EQ(limiter.RecordFailure("other"), seconds(0));
}

TEST_F(FailureLimiterTest, TheWindowSlides) {
  FailureLimiter limiter = Make({.max_failures = 3, .window = seconds(60)});
  limiter.RecordFailure("a");  // t=1000
  now_ += seconds(30);
  limiter.RecordFailure("a");  // t=1030
  limiter.RecordFailure("a");  // t=1030
  EXPECT_EQ(limiter.RetryAfter("a"), seconds(30));
  now_ += seconds(30);  // t=1060: the first one has left the window
  EXPECT_EQ(limiter.RetryAfter("a"), seconds(0));
  EXPECT_EQ(limiter.RecordFailure("a"), seconds(0));
  EXPECT_EQ(limiter.RetryAfter("a"), seconds(30));  // until 1030's two leave at 1090
  now_ += seconds(60);
  EXPECT_EQ(limiter.RetryAfter("a"), seconds(0));
}

TEST_F(FailureLimiterTest, RetryAfterRoundsUpToWholeSecondsAndIsNeverZeroWhenLimited) {
  FailureLimiter limiter = Make({.max_failures = 1, .window = seconds(60)});
  limiter.RecordFailure("a");
  now_ += milliseconds(59'500);
  EXPECT_EQ(limiter.RetryAfter("a"), seconds(1));
  now_ += milliseconds(499);
  EXPECT_EQ(limiter.RetryAfter("a"), seconds(1));
  now_ += milliseconds(1);
  EXPECT_EQ(limiter.RetryAfter("a"), seconds(0));
}

TEST_F(FailureLimiterTest, FailuresBeyondTheLimitKeepTheLimitInPlace) {
  FailureLimiter limiter = Make({.max_failures = 2, .window = seconds(10)});
  limiter.RecordFailure("a");
  limiter.RecordFailure("a");
  // An attacker who keeps trying, for three windows: never a fresh allowance.
  for (int i = 0; i < 30; ++i) {
    now_ += seconds(1);
    EXPECT_GT(limiter.RecordFailure("a"), seconds(0)) << i;
  }
  now_ += seconds(10);  // one who stops for a window gets one
  EXPECT_EQ(limiter.RecordFailure("a"), seconds(0));
}

TEST_F(FailureLimiterTest, ZeroAllowedFailuresMeansOne) {
  FailureLimiter limiter = Make({.max_failures = 0});
  EXPECT_EQ(limiter.RetryAfter("a"), seconds(0));
  EXPECT_EQ(limiter.RecordFailure("a"), seconds(0));
  EXPECT_GT(limiter.RetryAfter("a"), seconds(0));
}

TEST_F(FailureLimiterTest, MemoryIsBoundedAndTheLeastRecentlyFailedIdIsForgotten) {
  FailureLimiter limiter = Make({.max_failures = 2, .window = seconds(60), .max_tracked = 3});
  limiter.RecordFailure("old");
  limiter.RecordFailure("old");
  limiter.RecordFailure("kept");
  limiter.RecordFailure("kept");
  limiter.RecordFailure("b");
  limiter.RecordFailure("old");  // "old" is now the most recently failed
  for (int i = 0; i < 1000; ++i) {
    limiter.RecordFailure("flood" + std::to_string(i));
    EXPECT_LE(limiter.tracked(), 3u);
  }
  EXPECT_EQ(limiter.RetryAfter("kept"), seconds(0));  // forgotten
  // What is remembered of an id is bounded too.
  const std::string huge(1 << 20, 'x');
  limiter.RecordFailure(huge);
  limiter.RecordFailure(huge);
  EXPECT_GT(limiter.RetryAfter(std::string(FailureLimiter::kMaxIdBytes, 'x')), seconds(0));
}

TEST_F(FailureLimiterTest, ThreadsMayRecordAtOnce) {
  FailureLimiter limiter({.max_failures = 10, .window = seconds(60), .max_tracked = 50});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&limiter, t] {
      for (int i = 0; i < 2000; ++i) {
        limiter.RecordFailure("id" + std::to_string((i * 7 + t) % 80));
        limiter.RetryAfter("id" + std::to_string(i % 80));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_LE(limiter.tracked(), 50u);
}

}  // namespace
}  // namespace cairn::auth
