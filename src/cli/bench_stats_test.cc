// Nearest-rank percentiles: exact samples, the edges (one sample, fraction 0 and 1), and rank
// arithmetic that must not round 0.999 * 1000 up to the maximum.
#include "cli/bench_stats.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace cairn::cli {
namespace {

std::vector<uint64_t> OneTo(uint64_t n) {
  std::vector<uint64_t> v(n);
  for (uint64_t i = 0; i < n; ++i) v[i] = i + 1;
  return v;
}

TEST(Percentile, NearestRankOfOneToAThousand) {
  const std::vector<uint64_t> v = OneTo(1000);
  EXPECT_EQ(Percentile(v, 0.0), 1u);
  EXPECT_EQ(Percentile(v, 0.5), 500u);
  EXPECT_EQ(Percentile(v, 0.9), 900u);
  EXPECT_EQ(Percentile(v, 0.99), 990u);
  EXPECT_EQ(Percentile(v, 0.999), 999u);
  EXPECT_EQ(Percentile(v, 1.0), 1000u);
}

TEST(Percentile, SmallSetsRoundUpToARealSample) {
  const std::vector<uint64_t> v = OneTo(10);
  EXPECT_EQ(Percentile(v, 0.5), 5u);
  EXPECT_EQ(Percentile(v, 0.99), 10u);  // rank ceil(9.9) = 10
  EXPECT_EQ(Percentile(v, 0.999), 10u);
  EXPECT_EQ(Percentile({42}, 0.5), 42u);
  EXPECT_EQ(Percentile({42}, 0.999), 42u);
  EXPECT_EQ(Percentile({}, 0.5), 0u);
}

TEST(Summarize, SortsAndSummarises) {
  std::vector<uint64_t> v = OneTo(2000);
  std::shuffle(v.begin(), v.end(), std::mt19937_64(7));
  LatencySamples samples;
  for (uint64_t x : v) samples.Add(x);
  const LatencySummary s = Summarize(samples);
  EXPECT_EQ(s.count, 2000u);
  EXPECT_DOUBLE_EQ(s.mean, 1000.5);
  EXPECT_EQ(s.min, 1u);
  EXPECT_EQ(s.p50, 1000u);
  EXPECT_EQ(s.p90, 1800u);
  EXPECT_EQ(s.p99, 1980u);
  EXPECT_EQ(s.p999, 1998u);
  EXPECT_EQ(s.max, 2000u);
}

TEST(Summarize, MergedWorkersAreOneDistribution) {
  LatencySamples a;
  LatencySamples b;
  for (uint64_t i = 1; i <= 500; ++i) a.Add(i);
  for (uint64_t i = 501; i <= 1000; ++i) b.Add(i);
  a.Merge(b);
  const LatencySummary s = Summarize(a);
  EXPECT_EQ(s.count, 1000u);
  EXPECT_EQ(s.p50, 500u);
  EXPECT_EQ(s.p999, 999u);
}

TEST(Summarize, NoSamplesIsAllZero) {
  LatencySamples none;
  const LatencySummary s = Summarize(none);
  EXPECT_EQ(s.count, 0u);
  EXPECT_EQ(s.max, 0u);
  EXPECT_EQ(s.mean, 0);
}

}  // namespace
}  // namespace cairn::cli
