// The shape of `cairn bench --json`, which bench/run.sh and other scripts read: field names,
// units (milliseconds, bytes per second), rates over the timed window, and the progress line.
#include "cli/bench_report.h"

#include <gtest/gtest.h>

namespace cairn::cli {
namespace {

BenchReport TwoKinds() {
  BenchReport r;
  r.workload = "mixed";
  r.target = "s3";
  r.endpoint = "http://127.0.0.1:9000";
  r.bucket = "b";
  r.parameters = {{"concurrency", 4}, {"size", 4096}};
  r.seconds = 2.0;
  r.bytes = 8 << 20;
  OperationReport get;
  get.name = "GET";
  get.operations = 300;
  get.bytes = 6 << 20;
  get.latency.p50 = 1'500'000;  // 1.5 ms
  OperationReport put;
  put.name = "PUT";
  put.operations = 100;
  put.errors = 2;
  put.bytes = 2 << 20;
  r.operations = {get, put};
  r.client_cpu_seconds = 0.5;
  r.first_error = "PUT /b/k: HTTP 503 SlowDown";
  return r;
}

TEST(BenchReportJson, TopLevelShape) {
  BenchReport r = TwoKinds();
  LatencySamples all;
  for (uint64_t i = 1; i <= 400; ++i) all.Add(i * 10'000);  // 0.01 .. 4 ms
  FillTotal(r, all);
  const Json j = BenchReportJson(r);
  std::vector<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.push_back(key);
  EXPECT_EQ(keys,
            (std::vector<std::string>{"ok", "workload", "target", "endpoint", "bucket",
                                      "parameters", "seconds", "operations", "errors", "cancelled",
                                      "bytes", "opsPerSecond", "bytesPerSecond", "mibPerSecond",
                                      "latencyMs", "byOperation", "client", "firstError"}));
  EXPECT_FALSE(j["ok"].get<bool>());  // two PUTs failed
  EXPECT_EQ(j["operations"], 400);
  EXPECT_EQ(j["errors"], 2);
  EXPECT_DOUBLE_EQ(j["opsPerSecond"].get<double>(), 200.0);
  EXPECT_DOUBLE_EQ(j["bytesPerSecond"].get<double>(), 4 << 20);
  EXPECT_DOUBLE_EQ(j["mibPerSecond"].get<double>(), 4.0);
  EXPECT_EQ(j["parameters"]["size"], 4096);
  EXPECT_EQ(j["firstError"], "PUT /b/k: HTTP 503 SlowDown");
}

TEST(BenchReportJson, LatenciesInMilliseconds) {
  BenchReport r = TwoKinds();
  LatencySamples all;
  for (uint64_t i = 1; i <= 1000; ++i) all.Add(i * 1000);  // 1 us .. 1 ms
  FillTotal(r, all);
  const Json l = BenchReportJson(r)["latencyMs"];
  EXPECT_DOUBLE_EQ(l["p50"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(l["p99"].get<double>(), 0.99);
  EXPECT_DOUBLE_EQ(l["p999"].get<double>(), 0.999);
  EXPECT_DOUBLE_EQ(l["max"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(l["min"].get<double>(), 0.001);
  for (const char* field : {"mean", "min", "p50", "p90", "p99", "p999", "max"}) {
    EXPECT_TRUE(l.contains(field)) << field;
  }
}

TEST(BenchReportJson, ByOperationHasEachKind) {
  BenchReport r = TwoKinds();
  LatencySamples all;
  FillTotal(r, all);
  const Json by = BenchReportJson(r)["byOperation"];
  ASSERT_TRUE(by.contains("GET"));
  ASSERT_TRUE(by.contains("PUT"));
  EXPECT_EQ(by["GET"]["operations"], 300);
  EXPECT_DOUBLE_EQ(by["GET"]["opsPerSecond"].get<double>(), 150.0);
  EXPECT_DOUBLE_EQ(by["GET"]["latencyMs"]["p50"].get<double>(), 1.5);
  EXPECT_EQ(by["PUT"]["errors"], 2);
  EXPECT_FALSE(by["GET"].contains("items"));  // only listings have items
}

TEST(BenchReportJson, ClientCostPerAttempt) {
  BenchReport r = TwoKinds();
  LatencySamples all;
  FillTotal(r, all);
  const Json c = BenchReportJson(r)["client"];
  EXPECT_DOUBLE_EQ(c["cpuSeconds"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(c["cpuMicrosPerOperation"].get<double>(), 1243.8);  // 0.5 s / 402, 0.1 us
  EXPECT_DOUBLE_EQ(c["cpuCores"].get<double>(), 0.25);
}

TEST(BenchReportJson, CleanRunHasNoErrorField) {
  BenchReport r = TwoKinds();
  r.operations[1].errors = 0;
  r.first_error.clear();
  LatencySamples all;
  FillTotal(r, all);
  const Json j = BenchReportJson(r);
  EXPECT_TRUE(j["ok"].get<bool>());
  EXPECT_FALSE(j.contains("firstError"));
}

TEST(BenchReportJson, ListingsReportItems) {
  BenchReport r;
  r.seconds = 4;
  OperationReport list;
  list.name = "LIST";
  list.operations = 40;
  list.items = 40000;
  r.operations = {list};
  LatencySamples all;
  FillTotal(r, all);
  const Json j = BenchReportJson(r);
  EXPECT_DOUBLE_EQ(j["itemsPerSecond"].get<double>(), 10000.0);
  EXPECT_EQ(j["byOperation"]["LIST"]["items"], 40000);
}

TEST(BenchReportText, OneLinePerKindAndATotal) {
  BenchReport r = TwoKinds();
  LatencySamples all;
  FillTotal(r, all);
  const std::string text = BenchReportText(r);
  EXPECT_NE(text.find("mixed against http://127.0.0.1:9000"), std::string::npos);
  EXPECT_NE(text.find("  GET "), std::string::npos);
  EXPECT_NE(text.find("  PUT "), std::string::npos);
  EXPECT_NE(text.find("  total "), std::string::npos);
  EXPECT_NE(text.find("first error: PUT /b/k"), std::string::npos);
}

TEST(RenderProgress, PhaseRatesAndCounts) {
  ProgressSnapshot s;
  s.workload = "put";
  s.elapsed = 4.0;
  s.planned = 10;
  s.operations = 12345;
  s.ops_per_second = 3086.25;
  s.bytes_per_second = 12.5 * (1 << 20);
  EXPECT_EQ(RenderProgress(s), "put 4.0/10s  3086.2 op/s  12.5 MiB/s  ops 12,345  errors 0");
  s.warmup = true;
  s.planned = 0;
  EXPECT_EQ(RenderProgress(s).rfind("put warmup 4.0s ", 0), 0u);
}

}  // namespace
}  // namespace cairn::cli
