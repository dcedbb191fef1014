// Parsing of /proc/PID/stat and /proc/PID/status as ServerProbe reads them, including command
// names with spaces and parentheses, which end at the last ')'.
#include "cli/bench_server_probe.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace cairn::cli {
namespace {

TEST(ServerProbe, CpuTicksAreUtimePlusStime) {
  const char* stat =
      "4242 (cairn) S 1 4242 4242 0 -1 4194560 1234 0 0 0 1452 2377 0 0 20 0 18 0 77 1 2 3";
  EXPECT_EQ(ServerProbe::ParseCpuTicks(stat), 1452u + 2377u);
}

TEST(ServerProbe, CommandNamesMayHoldSpacesAndParentheses) {
  const char* stat = "7 (nginx: worker (x)) S 6 6 6 0 -1 0 0 0 0 0 10 5 0 0 20 0 1 0 9 1 2";
  EXPECT_EQ(ServerProbe::ParseCpuTicks(stat), 15u);
}

TEST(ServerProbe, MalformedStatIsNullopt) {
  EXPECT_EQ(ServerProbe::ParseCpuTicks(""), std::nullopt);
  EXPECT_EQ(ServerProbe::ParseCpuTicks("1 (x) S 1 2"), std::nullopt);
  EXPECT_EQ(ServerProbe::ParseCpuTicks("1 (x) S 1 2 3 4 5 6 7 8 9 ab cd 0"), std::nullopt);
}

TEST(ServerProbe, StatusFields) {
  const char* status = "Name:\tcairn\nVmHWM:\t   57676 kB\nVmRSS:\t   54920 kB\nThreads:\t18\n";
  EXPECT_EQ(ServerProbe::ParseStatusKib(status, "VmRSS"), 54920u);
  EXPECT_EQ(ServerProbe::ParseStatusKib(status, "VmHWM"), 57676u);
  EXPECT_EQ(ServerProbe::ParseStatusKib(status, "VmSwap"), 0u);
  EXPECT_EQ(ServerProbe::ParseStatusKib(status, "RSS"), 0u);  // whole names only
}

TEST(ServerProbe, ReadsThisProcess) {
  ServerProbe probe({static_cast<int>(::getpid())});
  probe.Open();
  uint64_t spin = 0;
  for (int i = 0; i < 50'000'000; ++i) spin = spin * 31 + i;
  EXPECT_NE(spin, 1u);  // keeps the loop
  probe.Close();
  const Json j = probe.ToJson(10);
  EXPECT_GT(j["rssAtOpenKiB"].get<uint64_t>(), 0u);
  EXPECT_GE(j["rssPeakKiB"].get<uint64_t>(), j["rssAtOpenKiB"].get<uint64_t>() / 2);
  EXPECT_GE(j["cpuSeconds"].get<double>(), 0.0);
  EXPECT_EQ(j["pids"].size(), 1u);
}

}  // namespace
}  // namespace cairn::cli
