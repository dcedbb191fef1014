// The load loop of `cairn bench`: `concurrency` worker threads each run operations back to back
// (a closed loop, as warp and wrk: a worker sends its next request when the last one is answered),
// first for --warmup, whose operations are not counted, then for --duration or until --requests
// operations are done. At the end of the duration a worker finishes the operation it is in (its
// time and bytes count) unless the plan says to cancel it. Latencies go into per-worker samples
// (bench_stats.h); counters that the progress line reads are atomics, one cache line per worker.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "cli/bench_payload.h"
#include "cli/bench_report.h"

namespace cairn::cli {

enum class ProgressMode {
  kOff,
  kRefresh,  // one line redrawn in place (stderr is a terminal)
  kLines,    // a line every few seconds (stderr is a log)
};

struct RunPlan {
  std::string label;  // shown on the progress line
  std::vector<std::string> kinds = {
      "OP"};  // names of the operation kinds, indexed by OpOutcome::kind
  unsigned concurrency = 1;
  std::chrono::nanoseconds warmup{0};
  std::chrono::nanoseconds duration{0};  // 0: until `requests` are done
  uint64_t requests = 0;                 // 0: until `duration` is over
  bool cancel_at_end = false;            // cut operations in flight when `duration` ends
  ProgressMode progress = ProgressMode::kOff;
  // Called (on the coordinating thread) when the timed window opens and when it closes: how
  // --server-pid reads the server's CPU and memory over exactly that window.
  std::function<void()> on_window_open = {};
  std::function<void()> on_window_close = {};
};

// What one operation tells the runner.
struct OpOutcome {
  size_t kind = 0;     // set first: an operation that throws counts as an error of this kind
  uint64_t bytes = 0;  // payload bytes of the completed operation
  uint64_t items = 0;  // keys and prefixes listed
  uint64_t nanos = 0;  // when set, the operation's own latency (the request without the
                       // client's parsing of the answer); else the runner's timing of the call
};

// A worker's view of the run.
struct WorkerContext {
  unsigned index = 0;
  uint64_t seq = 0;  // operations this worker started before this one
  Meter* meter = nullptr;
  const std::atomic<bool>* cancel = nullptr;
  std::mt19937_64 random;
};

using Operation = std::function<void(WorkerContext& worker, OpOutcome& outcome)>;

// Runs `operation` as `plan` says and returns the report's measured parts (seconds, bytes,
// operations by kind, total, cancelled, client CPU, first error); the caller names the workload,
// target and parameters. Thread-safe `operation` required: it runs on every worker at once.
BenchReport RunLoad(const RunPlan& plan, const Operation& operation);

}  // namespace cairn::cli
