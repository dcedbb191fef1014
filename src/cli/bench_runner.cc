// The worker threads, and the coordinating thread that marks the end of the warmup, cancels at
// the deadline when asked, and draws the progress line. Workers check the deadline themselves
// before each operation, so the duration is exact to one operation, not to the coordinator's
// wake-ups.
#include "cli/bench_runner.h"

#include <sys/resource.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "cairn/errors.h"

namespace cairn::cli {
namespace {

using SteadyClock = std::chrono::steady_clock;

double CpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double Seconds(SteadyClock::duration d) { return std::chrono::duration<double>(d).count(); }

struct WorkerState {
  explicit WorkerState(size_t kinds) : samples(kinds), counts(kinds) {}
  Meter meter;
  alignas(64) std::atomic<uint64_t> progress_ops{0};
  std::atomic<uint64_t> progress_errors{0};
  // Written by the worker alone, read after it is joined.
  std::vector<LatencySamples> samples;
  std::vector<OperationReport> counts;
  uint64_t cancelled = 0;
};

// Everything the threads share.
struct Shared {
  Shared(const RunPlan& p, const Operation& op) : plan(p), operation(op) {}
  const RunPlan& plan;
  const Operation& operation;
  SteadyClock::time_point measure_from;
  SteadyClock::time_point deadline;
  std::atomic<bool> cancel{false};
  std::atomic<uint64_t> tickets{0};
  std::mutex mu;
  std::condition_variable done;
  unsigned running = 0;                   // guarded by mu
  SteadyClock::time_point last_finished;  // guarded by mu
  std::string first_error;                // guarded by mu
};

void RunWorker(Shared& shared, WorkerState& state, unsigned index) {
  WorkerContext ctx;
  ctx.index = index;
  ctx.meter = &state.meter;
  ctx.cancel = &shared.cancel;
  ctx.random.seed(0x9e3779b97f4a7c15ull * (index + 1));
  const RunPlan& plan = shared.plan;
  for (;; ++ctx.seq) {
    const auto start = SteadyClock::now();
    if (start >= shared.deadline || shared.cancel.load(std::memory_order_relaxed)) break;
    const bool measured = start >= shared.measure_from;
    if (measured && plan.requests > 0 && shared.tickets.fetch_add(1) >= plan.requests) break;
    OpOutcome outcome;
    try {
      shared.operation(ctx, outcome);
      const uint64_t nanos =
          outcome.nanos
              ? outcome.nanos
              : std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now() - start)
                    .count();
      state.progress_ops.fetch_add(1, std::memory_order_relaxed);
      if (!measured) continue;
      OperationReport& count = state.counts[outcome.kind];
      ++count.operations;
      count.bytes += outcome.bytes;
      count.items += outcome.items;
      state.samples[outcome.kind].Add(nanos);
    } catch (...) {
      if (shared.cancel.load()) {
        ++state.cancelled;
        break;
      }
      state.progress_errors.fetch_add(1, std::memory_order_relaxed);
      if (measured) ++state.counts[outcome.kind].errors;
      std::string message = "unknown error";
      bool transport = false;
      try {
        throw;
      } catch (const TransportError& e) {
        message = e.what();
        transport = true;
      } catch (const std::exception& e) {
        message = e.what();
      } catch (...) {
      }
      {
        std::lock_guard lock(shared.mu);
        if (shared.first_error.empty()) shared.first_error = message;
      }
      // A server that is down answers instantly; do not spin on it.
      if (transport) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  std::lock_guard lock(shared.mu);
  shared.last_finished = SteadyClock::now();
  if (--shared.running == 0) shared.done.notify_all();
}

// Sums of the workers' counters, for the progress line and the measured window.
struct Totals {
  uint64_t ops = 0;
  uint64_t errors = 0;
  uint64_t bytes = 0;
};

Totals Sum(const std::vector<std::unique_ptr<WorkerState>>& states) {
  Totals t;
  for (const auto& s : states) {
    t.ops += s->progress_ops.load(std::memory_order_relaxed);
    t.errors += s->progress_errors.load(std::memory_order_relaxed);
    t.bytes += s->meter.bytes.load(std::memory_order_relaxed);
  }
  return t;
}

class ProgressPrinter {
 public:
  ProgressPrinter(const RunPlan& plan, SteadyClock::time_point start,
                  SteadyClock::time_point measure_from)
      : plan_(plan), start_(start), measure_from_(measure_from), last_time_(start) {}

  std::chrono::milliseconds interval() const {
    return plan_.progress == ProgressMode::kRefresh ? std::chrono::milliseconds(1000)
                                                    : std::chrono::milliseconds(5000);
  }

  void Print(SteadyClock::time_point now, const Totals& totals) {
    ProgressSnapshot s;
    s.workload = plan_.label;
    s.warmup = now < measure_from_;
    s.elapsed = Seconds(now - (s.warmup ? start_ : measure_from_));
    s.planned = s.warmup ? Seconds(plan_.warmup) : Seconds(plan_.duration);
    s.operations = totals.ops;
    s.errors = totals.errors;
    const double dt = Seconds(now - last_time_);
    if (dt > 0) {
      s.ops_per_second = (totals.ops - last_.ops) / dt;
      s.bytes_per_second = (totals.bytes - last_.bytes) / dt;
    }
    last_ = totals;
    last_time_ = now;
    const std::string line = RenderProgress(s);
    if (plan_.progress == ProgressMode::kRefresh) {
      std::fprintf(stderr, "\r\033[K%s", line.c_str());
      drawn_ = true;
    } else {
      std::fprintf(stderr, "%s\n", line.c_str());
    }
    std::fflush(stderr);
  }

  void Finish() {
    if (drawn_) std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }

 private:
  const RunPlan& plan_;
  SteadyClock::time_point start_;
  SteadyClock::time_point measure_from_;
  SteadyClock::time_point last_time_;
  Totals last_;
  bool drawn_ = false;
};

}  // namespace

BenchReport RunLoad(const RunPlan& plan, const Operation& operation) {
  const size_t kinds = plan.kinds.size();
  std::vector<std::unique_ptr<WorkerState>> states;
  for (unsigned i = 0; i < plan.concurrency; ++i) {
    states.push_back(std::make_unique<WorkerState>(kinds));
  }
  Shared shared(plan, operation);
  const auto start = SteadyClock::now();
  shared.measure_from = start + plan.warmup;
  shared.deadline =
      plan.duration.count() > 0
          ? shared.measure_from + std::chrono::duration_cast<SteadyClock::duration>(plan.duration)
          : SteadyClock::time_point::max();
  shared.running = plan.concurrency;

  std::vector<std::thread> threads;
  for (unsigned i = 0; i < plan.concurrency; ++i) {
    threads.emplace_back([&shared, &states, i] { RunWorker(shared, *states[i], i); });
  }

  // The window opens when the warmup ends (bytes and CPU are read then) and closes when the last
  // worker stops, or at the deadline when operations in flight are cancelled.
  ProgressPrinter progress(plan, start, shared.measure_from);
  bool window_open = plan.warmup.count() == 0;
  if (window_open && plan.on_window_open) plan.on_window_open();
  Totals at_open;
  double cpu_at_open = CpuSeconds();
  std::optional<SteadyClock::time_point> cancelled_at;
  Totals at_close;
  double cpu_at_close = 0;
  auto next_tick = start + progress.interval();
  {
    std::unique_lock lock(shared.mu);
    while (shared.running > 0) {
      SteadyClock::time_point wake = SteadyClock::time_point::max();
      if (plan.progress != ProgressMode::kOff) wake = next_tick;
      if (!window_open) wake = std::min(wake, shared.measure_from);
      if (plan.cancel_at_end && !cancelled_at) wake = std::min(wake, shared.deadline);
      shared.done.wait_until(lock, wake, [&] { return shared.running == 0; });
      if (shared.running == 0) break;
      lock.unlock();
      const auto now = SteadyClock::now();
      if (!window_open && now >= shared.measure_from) {
        at_open = Sum(states);
        cpu_at_open = CpuSeconds();
        window_open = true;
        if (plan.on_window_open) plan.on_window_open();
      }
      if (plan.cancel_at_end && !cancelled_at && now >= shared.deadline) {
        shared.cancel = true;
        cancelled_at = now;
        at_close = Sum(states);
        cpu_at_close = CpuSeconds();
        if (plan.on_window_close) plan.on_window_close();
      }
      if (plan.progress != ProgressMode::kOff && now >= next_tick) {
        progress.Print(now, Sum(states));
        while (next_tick <= now) next_tick += progress.interval();
      }
      lock.lock();
    }
  }
  for (std::thread& t : threads) t.join();
  progress.Finish();

  const auto end_of_window = cancelled_at.value_or(shared.last_finished);
  if (!cancelled_at) {
    at_close = Sum(states);
    cpu_at_close = CpuSeconds();
    if (window_open && plan.on_window_close) plan.on_window_close();
  }
  if (!window_open) at_open = at_close;  // everything ended within the warmup

  BenchReport report;
  report.seconds = window_open ? std::max(0.0, Seconds(end_of_window - shared.measure_from)) : 0;
  report.bytes = at_close.bytes - at_open.bytes;
  report.client_cpu_seconds = cpu_at_close - cpu_at_open;
  report.first_error = shared.first_error;
  LatencySamples all;
  for (size_t k = 0; k < kinds; ++k) {
    OperationReport op;
    op.name = plan.kinds[k];
    LatencySamples samples;
    for (const auto& s : states) {
      const OperationReport& c = s->counts[k];
      op.operations += c.operations;
      op.errors += c.errors;
      op.bytes += c.bytes;
      op.items += c.items;
      samples.Merge(s->samples[k]);
    }
    all.Merge(samples);
    op.latency = Summarize(samples);
    report.operations.push_back(std::move(op));
  }
  for (const auto& s : states) report.cancelled += s->cancelled;
  FillTotal(report, all);
  return report;
}

}  // namespace cairn::cli
