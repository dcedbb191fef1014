// Exit codes and messages for every kind of failure the command line reports.
#include "cli/errors.h"

#include <gtest/gtest.h>

#include "cairn/errors.h"

namespace cairn::cli {
namespace {

TEST(ExitCodeForS3Error, EachKindHasItsCode) {
  EXPECT_EQ(ExitCodeForS3Error("NoSuchBucket", 404), kExitNotFound);
  EXPECT_EQ(ExitCodeForS3Error("NoSuchKey", 404), kExitNotFound);
  EXPECT_EQ(ExitCodeForS3Error("NoSuchUpload", 404), kExitNotFound);
  EXPECT_EQ(ExitCodeForS3Error("InvalidAccessKeyId", 403), kExitAuth);
  EXPECT_EQ(ExitCodeForS3Error("SignatureDoesNotMatch", 403), kExitAuth);
  EXPECT_EQ(ExitCodeForS3Error("BucketNotEmpty", 409), kExitS3Error);
  EXPECT_EQ(ExitCodeForS3Error("AccessDenied", 403), kExitAuth);
  EXPECT_EQ(ExitCodeForS3Error("ExpiredToken", 400), kExitAuth);
  EXPECT_EQ(ExitCodeForS3Error("InvalidToken", 400), kExitAuth);
  EXPECT_EQ(ExitCodeForS3Error("NoSuchEntity", 404), kExitNotFound);
  EXPECT_EQ(ExitCodeForS3Error("NotImplemented", 501), kExitS3Error);
}

TEST(ExitCodeForS3Error, BodilessHeadAnswersGoByStatus) {
  EXPECT_EQ(ExitCodeForS3Error("", 404), kExitNotFound);
  EXPECT_EQ(ExitCodeForS3Error("NotFound", 404), kExitNotFound);
  EXPECT_EQ(ExitCodeForS3Error("", 403), kExitAuth);
  EXPECT_EQ(ExitCodeForS3Error("Forbidden", 403), kExitAuth);
  EXPECT_EQ(ExitCodeForS3Error("", 500), kExitS3Error);
}

Failure Describe(auto thrown) {
  try {
    throw thrown;
  } catch (...) {
    return DescribeFailure(std::current_exception(), "http://127.0.0.1:1");
  }
}

TEST(DescribeFailure, MapsEveryExceptionType) {
  Failure f = Describe(S3Error("NoSuchBucket", "The specified bucket does not exist", 404, "r1"));
  EXPECT_EQ(f.exit_code, kExitNotFound);
  EXPECT_EQ(f.code, "NoSuchBucket");
  EXPECT_NE(f.message.find("does not exist"), std::string::npos);

  f = Describe(S3Error("SignatureDoesNotMatch", "bad", 403, "r2"));
  EXPECT_EQ(f.exit_code, kExitAuth);
  EXPECT_NE(f.message.find("secret"), std::string::npos);

  f = Describe(S3Error("AccessDenied", "Access Denied", 403, "r3"));
  EXPECT_EQ(f.exit_code, kExitAuth);
  EXPECT_NE(f.message.find("permission"), std::string::npos);

  f = Describe(S3Error("InternalError", "oops", 500, "req-9"));
  EXPECT_EQ(f.exit_code, kExitS3Error);
  EXPECT_NE(f.message.find("req-9"), std::string::npos);

  f = Describe(S3Error("NotImplemented", "no CORS", 501, "r"));
  EXPECT_NE(f.message.find("does not support"), std::string::npos);

  f = Describe(TransportError("connection refused"));
  EXPECT_EQ(f.exit_code, kExitUnreachable);
  EXPECT_NE(f.message.find("http://127.0.0.1:1"), std::string::npos);
  EXPECT_NE(f.message.find("connection refused"), std::string::npos);

  f = Describe(LocalFileError("cannot read x: No such file or directory"));
  EXPECT_EQ(f.exit_code, kExitLocalFile);
  EXPECT_EQ(f.code, "LocalFile");

  f = Describe(UsageError("bad"));
  EXPECT_EQ(f.exit_code, kExitUsage);
  EXPECT_EQ(f.code, "Usage");

  f = Describe(CliError(kExitS3Error, "no CORS here", "NotImplemented"));
  EXPECT_EQ(f.code, "NotImplemented");

  f = Describe(std::runtime_error("something else"));
  EXPECT_EQ(f.exit_code, kExitS3Error);
  EXPECT_EQ(f.message, "something else");
}

}  // namespace
}  // namespace cairn::cli
