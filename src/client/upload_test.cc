// The multipart uploader against a scripted S3: a failed part is sent again from the start of its
// file range, a part whose ETag is not its MD5 is sent again, a part that keeps failing aborts the
// upload (or leaves it when keepPartsOnFailure), and client errors are not retried.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <random>

#include "cairn/client.h"
#include "client/fake_http_server.h"
#include "common/encoding.h"
#include "common/hashing.h"

namespace cairn {
namespace {

using client::testing::Action;
using client::testing::Answer;
using client::testing::FakeServer;
using client::testing::Received;

constexpr uint64_t kMiB = 1 << 20;

// Just enough of S3's multipart API, with hooks to make parts fail.
class FakeS3 {
 public:
  // Status to answer attempt `attempt` (from 0) of part `part` with; 200 is success.
  std::function<int(int part, int attempt)> status = [](int, int) { return 200; };
  // Whether to answer a wrong ETag to that attempt.
  std::function<bool(int part, int attempt)> damage = [](int, int) { return false; };

  Action Handle(const Received& r) {
    std::lock_guard lock(mutex_);
    if (r.method == "POST" && r.target.ends_with("?uploads")) {
      return {Answer(200,
                     "<InitiateMultipartUploadResult><UploadId>U1</UploadId>"
                     "</InitiateMultipartUploadResult>")};
    }
    if (r.method == "PUT" && r.target.find("partNumber=") != std::string::npos) {
      const int part = std::stoi(r.target.substr(r.target.find("partNumber=") + 11));
      const int attempt = attempts_[part]++;
      parts_[part].push_back(r.body);
      if (int code = status(part, attempt); code != 200) {
        return {Answer(code, "<Error><Code>" +
                                 std::string(code >= 500 ? "InternalError" : "AccessDenied") +
                                 "</Code><Message>scripted</Message></Error>")};
      }
      const std::string etag =
          damage(part, attempt) ? HexEncode(Md5("other")) : HexEncode(Md5(r.body));
      return {Answer(200, "", "ETag: \"" + etag + "\"\r\n")};
    }
    if (r.method == "POST" && r.target.find("uploadId=U1") != std::string::npos) {
      completed_ = true;
      complete_body_ = r.body;
      return {Answer(200,
                     "<CompleteMultipartUploadResult><ETag>\"abc-3\"</ETag>"
                     "</CompleteMultipartUploadResult>")};
    }
    if (r.method == "HEAD") {
      return {"HTTP/1.1 200 OK\r\nETag: \"abc-3\"\r\nContent-Length: 12582912\r\n\r\n"};
    }
    if (r.method == "DELETE" && r.target.find("uploadId=U1") != std::string::npos) {
      aborted_ = true;
      return {"HTTP/1.1 204 No Content\r\n\r\n"};
    }
    return {Answer(400, "<Error><Code>Unexpected</Code><Message>" + r.method + " " + r.target +
                            "</Message></Error>")};
  }

  std::vector<std::string> BodiesOf(int part) {
    std::lock_guard lock(mutex_);
    return parts_[part];
  }
  bool completed() {
    std::lock_guard lock(mutex_);
    return completed_;
  }
  bool aborted() {
    std::lock_guard lock(mutex_);
    return aborted_;
  }
  std::string complete_body() {
    std::lock_guard lock(mutex_);
    return complete_body_;
  }

 private:
  std::mutex mutex_;
  std::map<int, int> attempts_;
  std::map<int, std::vector<std::string>> parts_;
  bool completed_ = false;
  bool aborted_ = false;
  std::string complete_body_;
};

class UploadTest : public testing::Test {
 protected:
  void SetUp() override {
    char name[] = "/tmp/cairn-upload-test-XXXXXX";
    int fd = ::mkstemp(name);
    ASSERT_GE(fd, 0);
    ::close(fd);
    path_ = name;
    data_.resize(12 * kMiB);
    std::mt19937 random(7);
    for (char& c : data_) c = static_cast<char>(random());
    std::ofstream(path_, std::ios::binary) << data_;
  }
  void TearDown() override { std::remove(path_.c_str()); }

  ObjectInfo Upload(UploadOptions options) {
    FakeServer server([this](const Received& r, int, int) { return s3_.Handle(r); });
    ClientConfig config;
    config.endpoint = server.endpoint();
    config.accessKeyId = "AKID";
    config.secretAccessKey = "secret";
    Client client(config);
    options.multipartThreshold = 5 * kMiB;
    options.partSize = 5 * kMiB;  // parts of 5, 5 and 2 MiB
    options.concurrency = 2;
    return client.bucket("b").upload("k", path_, options);
  }

  std::string Part(int n) const { return data_.substr((n - 1) * 5 * kMiB, 5 * kMiB); }

  FakeS3 s3_;
  std::string path_;
  std::string data_;
};

TEST_F(UploadTest, FailedPartIsSentAgainFromTheStartOfItsRange) {
  s3_.status = [](int part, int attempt) { return part == 2 && attempt == 0 ? 503 : 200; };
  ObjectInfo object = Upload({});
  EXPECT_EQ(object.etag, "abc-3");
  std::vector<std::string> sent = s3_.BodiesOf(2);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_TRUE(sent[0] == Part(2));
  EXPECT_TRUE(sent[1] == Part(2));
  EXPECT_EQ(s3_.BodiesOf(1).size(), 1u);
  EXPECT_EQ(s3_.BodiesOf(3).size(), 1u);
  EXPECT_TRUE(s3_.completed());
  EXPECT_FALSE(s3_.aborted());
  // The parts are completed in order, with the ETags the server gave.
  const std::string body = s3_.complete_body();
  EXPECT_NE(body.find("<Part><PartNumber>1</PartNumber><ETag>&quot;" + HexEncode(Md5(Part(1)))),
            std::string::npos)
      << body;
  EXPECT_LT(body.find("<PartNumber>1<"), body.find("<PartNumber>3<"));
}

TEST_F(UploadTest, DamagedPartIsSentAgain) {
  s3_.damage = [](int part, int attempt) { return part == 1 && attempt == 0; };
  Upload({});
  EXPECT_EQ(s3_.BodiesOf(1).size(), 2u);
  EXPECT_TRUE(s3_.completed());
}

TEST_F(UploadTest, PartThatKeepsFailingAbortsTheUpload) {
  s3_.status = [](int part, int) { return part == 3 ? 500 : 200; };
  UploadOptions options;
  options.maxRetries = 1;
  try {
    Upload(options);
    FAIL() << "the upload succeeded";
  } catch (const S3Error& e) {
    EXPECT_EQ(e.code(), "InternalError");
  }
  EXPECT_EQ(s3_.BodiesOf(3).size(), 2u);  // the first attempt and one retry
  EXPECT_FALSE(s3_.completed());
  EXPECT_TRUE(s3_.aborted());
}

TEST_F(UploadTest, KeepPartsOnFailureLeavesTheUpload) {
  s3_.status = [](int part, int) { return part == 3 ? 500 : 200; };
  UploadOptions options;
  options.maxRetries = 0;
  options.keepPartsOnFailure = true;
  EXPECT_THROW(Upload(options), S3Error);
  EXPECT_FALSE(s3_.aborted());
}

TEST_F(UploadTest, ClientErrorsAreNotRetried) {
  s3_.status = [](int part, int) { return part == 1 ? 403 : 200; };
  EXPECT_THROW(Upload({}), S3Error);
  EXPECT_EQ(s3_.BodiesOf(1).size(), 1u);
  EXPECT_TRUE(s3_.aborted());
}

}  // namespace
}  // namespace cairn
