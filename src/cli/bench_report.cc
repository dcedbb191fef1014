// The summary's JSON and text forms. Latencies are written in milliseconds with microsecond
// precision: loopback requests take tens of microseconds, and nanoseconds would only add noise.
#include "cli/bench_report.h"

#include <cmath>
#include <cstdio>

namespace cairn::cli {
namespace {

double Rate(double amount, double seconds) { return seconds > 0 ? amount / seconds : 0; }

double Millis(double nanos) { return std::round(nanos / 1e3) / 1e3; }

Json LatencyJson(const LatencySummary& l) {
  return {{"mean", Millis(l.mean)}, {"min", Millis(l.min)}, {"p50", Millis(l.p50)},
          {"p90", Millis(l.p90)},   {"p99", Millis(l.p99)}, {"p999", Millis(l.p999)},
          {"max", Millis(l.max)}};
}

Json OperationJson(const OperationReport& op, double seconds) {
  Json out = {{"operations", op.operations},
              {"errors", op.errors},
              {"bytes", op.bytes},
              {"opsPerSecond", Rate(op.operations, seconds)},
              {"bytesPerSecond", Rate(op.bytes, seconds)}};
  if (op.items > 0) {
    out["items"] = op.items;
    out["itemsPerSecond"] = Rate(op.items, seconds);
  }
  out["latencyMs"] = LatencyJson(op.latency);
  return out;
}

std::string Format(const char* format, double value) {
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

// 1234567 -> "1,234,567"
std::string Grouped(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string MibPerSecond(double bytes_per_second) {
  return Format("%.1f MiB/s", bytes_per_second / (1 << 20));
}

std::string LatencyText(const LatencySummary& l) {
  return "mean " + Format("%.3f", l.mean / 1e6) + "  p50 " + Format("%.3f", l.p50 / 1e6) +
         "  p99 " + Format("%.3f", l.p99 / 1e6) + "  p99.9 " + Format("%.3f", l.p999 / 1e6) +
         "  max " + Format("%.3f", l.max / 1e6) + " ms";
}

}  // namespace

void FillTotal(BenchReport& report, LatencySamples& all) {
  OperationReport total;
  total.name = "total";
  for (const OperationReport& op : report.operations) {
    total.operations += op.operations;
    total.errors += op.errors;
    total.bytes += op.bytes;
    total.items += op.items;
  }
  total.latency = Summarize(all);
  report.total = total;
}

Json BenchReportJson(const BenchReport& r) {
  Json out;
  out["ok"] = r.total.errors == 0;
  out["workload"] = r.workload;
  out["target"] = r.target;
  out["endpoint"] = r.endpoint;
  out["bucket"] = r.bucket;
  out["parameters"] = r.parameters;
  out["seconds"] = std::round(r.seconds * 1e6) / 1e6;
  out["operations"] = r.total.operations;
  out["errors"] = r.total.errors;
  out["cancelled"] = r.cancelled;
  out["bytes"] = r.bytes;
  out["opsPerSecond"] = Rate(r.total.operations, r.seconds);
  out["bytesPerSecond"] = Rate(r.bytes, r.seconds);
  out["mibPerSecond"] = Rate(r.bytes, r.seconds) / (1 << 20);
  if (r.total.items > 0) out["itemsPerSecond"] = Rate(r.total.items, r.seconds);
  out["latencyMs"] = LatencyJson(r.total.latency);
  Json by = Json::object();
  for (const OperationReport& op : r.operations) by[op.name] = OperationJson(op, r.seconds);
  out["byOperation"] = by;
  const uint64_t attempts = r.total.operations + r.total.errors + r.cancelled;
  out["client"] = {{"cpuSeconds", std::round(r.client_cpu_seconds * 1e3) / 1e3},
                   {"cpuMicrosPerOperation",
                    attempts ? std::round(r.client_cpu_seconds * 1e6 / attempts * 10) / 10 : 0.0},
                   {"cpuCores", std::round(Rate(r.client_cpu_seconds, r.seconds) * 100) / 100}};
  if (!r.server.is_null()) out["server"] = r.server;
  if (!r.first_error.empty()) out["firstError"] = r.first_error;
  return out;
}

std::string BenchReportText(const BenchReport& r) {
  std::string out = r.workload + " against " + r.endpoint + " (" + r.target + ", bucket " +
                    r.bucket + "): " + Format("%.2f", r.seconds) + " s, " +
                    Grouped(r.total.operations) + " operations, " + Grouped(r.total.errors) +
                    " errors" + (r.cancelled ? ", " + Grouped(r.cancelled) + " cancelled" : "") +
                    ", " + MibPerSecond(Rate(r.bytes, r.seconds)) + " moved\n";
  auto line = [&](const OperationReport& op, double bytes) {
    std::string text =
        "  " + op.name + std::string(op.name.size() < 7 ? 7 - op.name.size() : 1, ' ');
    text += Format("%10.1f ops/s", Rate(op.operations, r.seconds)) + "  " +
            MibPerSecond(Rate(bytes, r.seconds));
    if (op.items > 0) text += "  " + Format("%.0f items/s", Rate(op.items, r.seconds));
    text += "  " + LatencyText(op.latency) + "\n";
    return text;
  };
  for (const OperationReport& op : r.operations) out += line(op, op.bytes);
  if (r.operations.size() > 1) out += line(r.total, r.bytes);
  const uint64_t attempts = r.total.operations + r.total.errors + r.cancelled;
  out += "  client CPU " + Format("%.2f", r.client_cpu_seconds) + " s (" +
         Format("%.1f", attempts ? r.client_cpu_seconds * 1e6 / attempts : 0) + " us/op, " +
         Format("%.2f", Rate(r.client_cpu_seconds, r.seconds)) + " cores)\n";
  if (!r.server.is_null()) {
    out += "  server CPU " + Format("%.2f", r.server["cpuSeconds"].get<double>()) + " s (" +
           Format("%.1f", r.server["cpuMicrosPerOperation"].get<double>()) + " us/op), RSS " +
           Format("%.1f", r.server["rssAtOpenKiB"].get<double>() / 1024) + " -> peak " +
           Format("%.1f", r.server["rssPeakKiB"].get<double>() / 1024) + " MiB\n";
  }
  if (!r.first_error.empty()) out += "  first error: " + r.first_error + "\n";
  return out;
}

std::string RenderProgress(const ProgressSnapshot& s) {
  std::string out = s.workload + (s.warmup ? " warmup " : " ") + Format("%.1f", s.elapsed);
  if (s.planned > 0) out += "/" + Format("%.0f", s.planned);
  out += "s  " + Format("%.1f op/s", s.ops_per_second) + "  " + MibPerSecond(s.bytes_per_second) +
         "  ops " + Grouped(s.operations) + "  errors " + Grouped(s.errors);
  return out;
}

}  // namespace cairn::cli
