// Latency statistics of `cairn bench`. Every operation's latency is kept as a sample (8 bytes; a
// run of 10^6 operations holds 8 MB), so percentiles are exact rather than bucketed: p99.9 of a
// few thousand operations is an actual operation's latency, which a histogram's bucket edges would
// blur exactly where tails matter. Each worker thread fills its own LatencySamples, without locks;
// they are merged once at the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cairn::cli {

class LatencySamples {
 public:
  LatencySamples() { nanos_.reserve(4096); }
  void Add(uint64_t nanos) { nanos_.push_back(nanos); }
  void Merge(const LatencySamples& other);
  size_t size() const { return nanos_.size(); }
  bool empty() const { return nanos_.empty(); }
  std::vector<uint64_t>& nanos() { return nanos_; }
  const std::vector<uint64_t>& nanos() const { return nanos_; }

 private:
  std::vector<uint64_t> nanos_;
};

// The nearest-rank percentile of `sorted` (ascending): the smallest sample such that at least
// `fraction` of all samples are at or below it, i.e. sorted[ceil(fraction * n) - 1]; fraction 0 is
// the minimum. 0 for no samples.
uint64_t Percentile(const std::vector<uint64_t>& sorted, double fraction);

struct LatencySummary {
  uint64_t count = 0;
  double mean = 0;  // nanoseconds
  uint64_t min = 0;
  uint64_t p50 = 0;
  uint64_t p90 = 0;
  uint64_t p99 = 0;
  uint64_t p999 = 0;
  uint64_t max = 0;
};

// Sorts `samples` in place and summarises them.
LatencySummary Summarize(LatencySamples& samples);

}  // namespace cairn::cli
