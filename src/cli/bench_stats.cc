// Nearest-rank percentiles over sorted samples. Sorting 10^6 samples takes well under 100 ms and
// happens once, after the timed phase.
#include "cli/bench_stats.h"

#include <algorithm>
#include <cmath>

namespace cairn::cli {

void LatencySamples::Merge(const LatencySamples& other) {
  nanos_.insert(nanos_.end(), other.nanos_.begin(), other.nanos_.end());
}

uint64_t Percentile(const std::vector<uint64_t>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  if (fraction <= 0) return sorted.front();
  // The rank is computed in long double and nudged down so that 0.999 * 1000 is rank 999, not
  // 999.0000000000001 rounded up to 1000.
  const long double exact = static_cast<long double>(fraction) * sorted.size();
  size_t rank = static_cast<size_t>(std::ceil(exact - 1e-9L));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

LatencySummary Summarize(LatencySamples& samples) {
  std::vector<uint64_t>& v = samples.nanos();
  LatencySummary s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  long double total = 0;
  for (uint64_t x : v) total += x;
  s.count = v.size();
  s.mean = static_cast<double>(total / v.size());
  s.min = v.front();
  s.p50 = Percentile(v, 0.50);
  s.p90 = Percentile(v, 0.90);
  s.p99 = Percentile(v, 0.99);
  s.p999 = Percentile(v, 0.999);
  s.max = v.back();
  return s;
}

}  // namespace cairn::cli
