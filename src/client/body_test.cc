// The three body kinds: sizes, reads, rewinds, and the errors a caller can run into.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "client/body_source.h"

namespace cairn {
namespace {

std::string ReadAll(Body& body, size_t piece = 3) {
  std::string out, buffer(piece, '\0');
  while (size_t n = body.Read(buffer.data(), buffer.size())) out.append(buffer.data(), n);
  return out;
}

class TempFileTest : public testing::Test {
 protected:
  void SetUp() override {
    char name[] = "/tmp/cairn-body-test-XXXXXX";
    int fd = mkstemp(name);
    ASSERT_GE(fd, 0);
    ::close(fd);
    path_ = name;
    std::ofstream(path_) << "0123456789";
  }
  void TearDown() override { ::unlink(path_.c_str()); }
  std::string path_;
};

TEST(Body, FromStringIsRewindableAndHeldInMemory) {
  Body body = Body::FromString("hello world");
  EXPECT_EQ(body.size(), 11u);
  EXPECT_EQ(ReadAll(body), "hello world");
  EXPECT_TRUE(body.Rewindable());
  body.Rewind();
  EXPECT_EQ(ReadAll(body, 100), "hello world");
  ASSERT_NE(BodyAccess::SourceOf(body).Memory(), nullptr);
}

TEST_F(TempFileTest, FileRangesAreReadIndependently) {
  Body whole = Body::FromFile(path_);
  Body middle = Body::FromFile(path_, 3, 4);
  Body tail = Body::FromFile(path_, 7);
  EXPECT_EQ(whole.size(), 10u);
  EXPECT_EQ(middle.size(), 4u);
  EXPECT_EQ(ReadAll(middle), "3456");
  EXPECT_EQ(ReadAll(tail), "789");
  EXPECT_EQ(ReadAll(whole), "0123456789");
  middle.Rewind();
  EXPECT_EQ(ReadAll(middle, 1), "3456");
  EXPECT_EQ(BodyAccess::SourceOf(middle).Memory(), nullptr);
}

TEST_F(TempFileTest, BadFilesAndRangesThrow) {
  EXPECT_THROW(Body::FromFile(path_ + ".missing"), std::runtime_error);
  EXPECT_THROW(Body::FromFile(path_, 11), std::runtime_error);
  EXPECT_THROW(Body::FromFile(path_, 5, 6), std::runtime_error);
  EXPECT_THROW(Body::FromFile("/tmp"), std::runtime_error);
}

TEST(Body, StreamOfUnknownSize) {
  std::istringstream in("streamed bytes");
  Body body = Body::FromStream(in);
  EXPECT_FALSE(body.size());
  EXPECT_FALSE(body.Rewindable());
  EXPECT_EQ(ReadAll(body), "streamed bytes");
}

TEST(Body, StreamOfKnownSizeStopsThereAndDetectsShortInput) {
  std::istringstream in("0123456789");
  Body body = Body::FromStream(in, 4);
  EXPECT_EQ(ReadAll(body), "0123");
  std::istringstream short_in("01");
  Body too_short = Body::FromStream(short_in, 4);
  EXPECT_THROW(ReadAll(too_short), std::runtime_error);
}

}  // namespace
}  // namespace cairn
