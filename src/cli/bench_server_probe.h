// What a server on the same machine spent while `cairn bench` measured it: its CPU time (user +
// system, all threads) and its peak resident memory over exactly the timed window, read from
// /proc for the processes named with --server-pid (several for nginx's master and workers). Read
// from inside the generator so that the window is the generator's own, without its preparing or
// warmup; Linux only, and the processes must be this user's (clear_refs needs that).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "cli/output.h"

namespace cairn::cli {

class ServerProbe {
 public:
  explicit ServerProbe(std::vector<int> pids) : pids_(std::move(pids)) {}
  bool empty() const { return pids_.empty(); }

  // The window opens: peak RSS starts again from the current RSS (proc(5): clear_refs 5) and
  // the CPU clock is read.
  void Open();
  void Close();

  // {"pids", "cpuSeconds", "cpuMicrosPerOperation", "rssAtOpenKiB", "rssPeakKiB"}
  Json ToJson(uint64_t operations) const;

  // utime + stime of a /proc/PID/stat line, in clock ticks; nullopt when it does not parse. The
  // command name in parentheses may itself hold spaces and parentheses.
  static std::optional<uint64_t> ParseCpuTicks(std::string_view stat);
  // A "Name:   123 kB" field of a /proc/PID/status text, in KiB (0 when absent).
  static uint64_t ParseStatusKib(std::string_view status, std::string_view name);

 private:
  uint64_t SumTicks() const;
  uint64_t SumStatus(std::string_view name) const;

  std::vector<int> pids_;
  uint64_t ticks_at_open_ = 0;
  uint64_t ticks_at_close_ = 0;
  uint64_t rss_at_open_ = 0;
  uint64_t rss_peak_ = 0;
};

}  // namespace cairn::cli
