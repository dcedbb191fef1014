// The progress bar's line: fraction, sizes, rate and parts, within the terminal's width.
#include "cli/progress.h"

#include <gtest/gtest.h>

namespace cairn::cli {
namespace {

TEST(ProgressBar, RendersFractionSizesAndParts) {
  UploadProgress p{30ull << 20, 60ull << 20, 3, 8};
  const std::string line = ProgressBar::Render("big.bin", p, std::chrono::seconds(3), 100);
  EXPECT_EQ(line.rfind("big.bin [", 0), 0u) << line;
  EXPECT_NE(line.find(" 50% "), std::string::npos) << line;
  EXPECT_NE(line.find("30.0 MiB / 60.0 MiB"), std::string::npos) << line;
  EXPECT_NE(line.find("10.0 MiB/s"), std::string::npos) << line;
  EXPECT_NE(line.find("part 3/8"), std::string::npos) << line;
  EXPECT_LT(line.size(), 100u);
}

TEST(ProgressBar, FitsNarrowTerminalsAndUnknownTotals) {
  UploadProgress p{5ull << 20, 0, 1, 0};
  const std::string line =
      ProgressBar::Render(std::string(80, 'k'), p, std::chrono::seconds(0), 40);
  EXPECT_LE(line.size(), 39u);
  EXPECT_NE(line.find("..."), std::string::npos);
}

TEST(ProgressBar, DisabledBarIsSilent) {
  ProgressBar bar("x", false);
  bar.Update({1, 2, 0, 0});
  bar.Finish();
}

}  // namespace
}  // namespace cairn::cli
