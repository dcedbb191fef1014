// Content types guessed from file names: common types, the last component and last dot, the
// octet-stream default.
#include "cli/content_type.h"

#include <gtest/gtest.h>

namespace cairn::cli {
namespace {

TEST(GuessContentType, CommonExtensions) {
  EXPECT_EQ(GuessContentType("cat.png"), "image/png");
  EXPECT_EQ(GuessContentType("photo.JPG"), "image/jpeg");
  EXPECT_EQ(GuessContentType("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(GuessContentType("data.json"), "application/json");
  EXPECT_EQ(GuessContentType("film.mp4"), "video/mp4");
  EXPECT_EQ(GuessContentType("doc.pdf"), "application/pdf");
  EXPECT_EQ(GuessContentType("font.woff2"), "font/woff2");
}

TEST(GuessContentType, UsesTheLastComponentAndTheLastDot) {
  EXPECT_EQ(GuessContentType("dir.d/archive.tar.gz"), "application/gzip");
  EXPECT_EQ(GuessContentType("/tmp/x.y/README"), "application/octet-stream");
  EXPECT_EQ(GuessContentType("2024/site/app.js"), "text/javascript; charset=utf-8");
}

TEST(GuessContentType, DefaultsToOctetStream) {
  EXPECT_EQ(GuessContentType(""), kDefaultContentType);
  EXPECT_EQ(GuessContentType("Makefile"), kDefaultContentType);
  EXPECT_EQ(GuessContentType(".bashrc"), kDefaultContentType);
  EXPECT_EQ(GuessContentType("trailing."), kDefaultContentType);
  EXPECT_EQ(GuessContentType("unknown.qqq"), kDefaultContentType);
}

}  // namespace
}  // namespace cairn::cli
