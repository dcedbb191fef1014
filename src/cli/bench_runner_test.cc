// The load loop without a network: operation counts under --requests, errors by kind, the first
// error kept, warmup operations left out, and --cancel-at-end cutting an operation in flight.
#include "cli/bench_runner.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>

namespace cairn::cli {
namespace {

using namespace std::chrono_literals;

TEST(RunLoad, RequestsAreCountedExactlyOnce) {
  RunPlan plan;
  plan.kinds = {"A", "B"};
  plan.concurrency = 4;
  plan.requests = 1000;
  std::atomic<uint64_t> calls{0};
  const BenchReport r = RunLoad(plan, [&](WorkerContext& w, OpOutcome& out) {
    ++calls;
    out.kind = w.seq % 2;
    out.bytes = 10;
  });
  EXPECT_EQ(calls.load(), 1000u);
  EXPECT_EQ(r.total.operations, 1000u);
  EXPECT_EQ(r.operations[0].operations + r.operations[1].operations, 1000u);
  EXPECT_EQ(r.total.bytes, 10000u);
  EXPECT_EQ(r.total.latency.count, 1000u);
  EXPECT_EQ(r.total.errors, 0u);
}

TEST(RunLoad, ErrorsCountByKindAndTheFirstIsKept) {
  RunPlan plan;
  plan.kinds = {"GET", "PUT"};
  plan.concurrency = 1;
  plan.requests = 10;
  const BenchReport r = RunLoad(plan, [&](WorkerContext& w, OpOutcome& out) {
    out.kind = 1;
    if (w.seq == 3) throw std::runtime_error("boom at 3");
    if (w.seq == 5) throw std::runtime_error("boom at 5");
  });
  EXPECT_EQ(r.operations[1].errors, 2u);
  EXPECT_EQ(r.operations[1].operations, 8u);
  EXPECT_EQ(r.operations[0].operations, 0u);
  EXPECT_EQ(r.first_error, "boom at 3");
}

TEST(RunLoad, DurationEndsTheRunAndWarmupIsNotCounted) {
  RunPlan plan;
  plan.concurrency = 2;
  plan.warmup = 100ms;
  plan.duration = 200ms;
  std::atomic<uint64_t> calls{0};
  const BenchReport r = RunLoad(plan, [&](WorkerContext&, OpOutcome& out) {
    ++calls;
    std::this_thread::sleep_for(5ms);
    out.bytes = 1;
  });
  EXPECT_GT(r.total.operations, 0u);
  EXPECT_LT(r.total.operations, calls.load());  // the warmup's operations ran but do not count
  EXPECT_GE(r.seconds, 0.2);
  EXPECT_LT(r.seconds, 0.5);
}

TEST(RunLoad, CancelAtEndCutsOperationsInFlight) {
  RunPlan plan;
  plan.concurrency = 3;
  plan.duration = 100ms;
  plan.cancel_at_end = true;
  const auto start = std::chrono::steady_clock::now();
  const BenchReport r = RunLoad(plan, [&](WorkerContext& w, OpOutcome&) {
    // A "transfer" that would last 10 s, checking the cancel flag as the payload source does.
    for (int i = 0; i < 10000; ++i) {
      if (w.cancel->load()) throw BenchCancelled();
      w.meter->bytes += 100;
      std::this_thread::sleep_for(1ms);
    }
  });
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_EQ(r.cancelled, 3u);
  EXPECT_EQ(r.total.errors, 0u);
  EXPECT_EQ(r.total.operations, 0u);
  EXPECT_GT(r.bytes, 0u);  // partial transfers count
  EXPECT_NEAR(r.seconds, 0.1, 0.05);
}

TEST(RunLoad, OperationsMayReportTheirOwnLatency) {
  RunPlan plan;
  plan.requests = 5;
  const BenchReport r = RunLoad(plan, [&](WorkerContext&, OpOutcome& out) { out.nanos = 1234; });
  EXPECT_EQ(r.total.latency.min, 1234u);
  EXPECT_EQ(r.total.latency.max, 1234u);
}

}  // namespace
}  // namespace cairn::cli
