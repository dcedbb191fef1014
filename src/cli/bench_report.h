// What `cairn bench` reports: the summary of a run as one JSON document (for scripts such as
// bench/run.sh) or as a few lines for people, and the progress line drawn while it runs. Pure
// functions of plain structs, so the document's shape is pinned by unit tests.
//
// Rates are over the timed window only (after --warmup). `bytes` counts the payload bytes that
// actually crossed the wire in that window, partial transfers included, so MB/s is honest even
// for a handful of 1 GiB requests or requests cancelled at the end; `operations` counts the
// requests that completed in it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/bench_stats.h"
#include "cli/output.h"

namespace cairn::cli {

// One kind of operation of a run (PUT, GET, LIST, UPLOAD).
struct OperationReport {
  std::string name;
  uint64_t operations = 0;  // completed successfully
  uint64_t errors = 0;
  uint64_t bytes = 0;  // payload bytes of the completed operations
  uint64_t items = 0;  // LIST: keys and common prefixes returned
  LatencySummary latency;
};

struct BenchReport {
  std::string workload;  // put, get, mixed, multipart, list
  std::string target;    // s3, plain-http
  std::string endpoint;
  std::string bucket;
  Json parameters = Json::object();  // the options that shaped the run
  double seconds = 0;                // the timed window
  uint64_t bytes = 0;                // payload bytes moved in the window (see above)
  uint64_t cancelled = 0;            // requests cut at the end (--cancel-at-end)
  std::vector<OperationReport> operations;
  OperationReport total;          // every kind together (name "total")
  double client_cpu_seconds = 0;  // this process's user + system time in the window
  std::string first_error;
  Json server = nullptr;  // --server-pid: the server's CPU and memory in the window
};

// Adds up `report.operations` into `report.total` (latencies merged from `all`, the samples of
// every kind together).
void FillTotal(BenchReport& report, LatencySamples& all);

// {"ok", "workload", "target", "endpoint", "bucket", "parameters", "seconds", "operations",
//  "errors", "cancelled", "bytes", "opsPerSecond", "bytesPerSecond", "mibPerSecond",
//  "latencyMs": {mean,min,p50,p90,p99,p999,max}, "byOperation": {NAME: {...}},
//  "client": {"cpuSeconds", "cpuMicrosPerOperation", "cpuCores"}, ["server": {...}],
//  ["firstError"]}
Json BenchReportJson(const BenchReport& report);

// The same for people: a header line, one line per kind, the client's own cost.
std::string BenchReportText(const BenchReport& report);

// What the progress line shows at one moment.
struct ProgressSnapshot {
  std::string workload;
  bool warmup = false;
  double elapsed = 0;  // seconds into the current phase
  double planned = 0;  // its planned length in seconds (0: until --requests are done)
  uint64_t operations = 0;
  uint64_t errors = 0;
  double ops_per_second = 0;    // over the last interval
  double bytes_per_second = 0;  // over the last interval
};
std::string RenderProgress(const ProgressSnapshot& snapshot);

}  // namespace cairn::cli
