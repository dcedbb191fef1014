// /proc parsing for ServerProbe. A process that has gone away counts as zero rather than failing
// the run: the generator's figures are still worth having.
#include "cli/bench_server_probe.h"

#include <unistd.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>

namespace cairn::cli {
namespace {

std::string ReadProc(int pid, const char* file) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/" + file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<uint64_t> ParseNumber(std::string_view s) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end == s.data()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<uint64_t> ServerProbe::ParseCpuTicks(std::string_view stat) {
  const size_t close = stat.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  // After "pid (comm)": state is field 3; utime and stime are fields 14 and 15.
  std::string_view rest = stat.substr(close + 1);
  std::vector<std::string_view> fields;
  for (size_t at = 0; at < rest.size();) {
    const size_t start = rest.find_first_not_of(' ', at);
    if (start == std::string_view::npos) break;
    const size_t end = std::min(rest.find(' ', start), rest.size());
    fields.push_back(rest.substr(start, end - start));
    at = end;
  }
  if (fields.size() < 13) return std::nullopt;
  std::optional<uint64_t> utime = ParseNumber(fields[11]);
  std::optional<uint64_t> stime = ParseNumber(fields[12]);
  if (!utime || !stime) return std::nullopt;
  return *utime + *stime;
}

uint64_t ServerProbe::ParseStatusKib(std::string_view status, std::string_view name) {
  const std::string key = "\n" + std::string(name) + ":";
  const std::string text = "\n" + std::string(status);
  const size_t at = text.find(key);
  if (at == std::string::npos) return 0;
  std::string_view value = std::string_view(text).substr(at + key.size());
  value.remove_prefix(std::min(value.find_first_not_of(" \t"), value.size()));
  return ParseNumber(value.substr(0, value.find(' '))).value_or(0);
}

uint64_t ServerProbe::SumTicks() const {
  uint64_t total = 0;
  for (int pid : pids_) total += ParseCpuTicks(ReadProc(pid, "stat")).value_or(0);
  return total;
}

uint64_t ServerProbe::SumStatus(std::string_view name) const {
  uint64_t total = 0;
  for (int pid : pids_) total += ParseStatusKib(ReadProc(pid, "status"), name);
  return total;
}

void ServerProbe::Open() {
  for (int pid : pids_) {
    std::ofstream("/proc/" + std::to_string(pid) + "/clear_refs") << "5";
  }
  rss_at_open_ = SumStatus("VmRSS");
  ticks_at_open_ = SumTicks();
}

void ServerProbe::Close() {
  ticks_at_close_ = SumTicks();
  rss_peak_ = SumStatus("VmHWM");
}

Json ServerProbe::ToJson(uint64_t operations) const {
  const double ticks_per_second = static_cast<double>(::sysconf(_SC_CLK_TCK));
  const double cpu = (ticks_at_close_ - ticks_at_open_) / ticks_per_second;
  Json pids = Json::array();
  for (int pid : pids_) pids.push_back(pid);
  return {{"pids", pids},
          {"cpuSeconds", cpu},
          {"cpuMicrosPerOperation", operations ? cpu * 1e6 / operations : 0.0},
          {"rssAtOpenKiB", rss_at_open_},
          {"rssPeakKiB", rss_peak_}};
}

}  // namespace cairn::cli
