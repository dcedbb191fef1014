// What an error tells the client: server-side failures lose their detail (paths, SQL) to the log,
// under the request id; client errors keep the messages written for the client.
#include "s3/response.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "s3/xml.h"

namespace cairn::s3 {
namespace {

constexpr std::string_view kGeneric = "We encountered an internal error. Please try again.";

// Collects what is logged through spdlog's default logger while it lives.
class CapturedLog {
 public:
  CapturedLog() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("captured", sink));
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  std::string Text() const { return out_.str(); }

 private:
  std::shared_ptr<spdlog::logger> previous_;
  std::ostringstream out_;
};

TEST(ForClientTest, ServerFailureDetailGoesToTheLogNotTheDocument) {
  CapturedLog log;
  const Error failure(ErrorCode::kInternalError,
                      "sqlite: INSERT OR REPLACE INTO objects (bucket, key) VALUES (?1, ?2): "
                      "disk I/O error");
  const Error shown = ForClient(failure, "REQ42");
  EXPECT_EQ(shown.code, ErrorCode::kInternalError);
  EXPECT_EQ(shown.Message(), kGeneric);

  const std::string xml = RenderError(shown, "/b/k", "REQ42");
  EXPECT_NE(xml.find("<Code>InternalError</Code>"), std::string::npos) << xml;
  EXPECT_NE(xml.find(kGeneric), std::string::npos) << xml;
  EXPECT_EQ(xml.find("sqlite"), std::string::npos) << xml;
  EXPECT_EQ(xml.find("INSERT"), std::string::npos) << xml;

  const std::string logged = log.Text();
  EXPECT_NE(logged.find("REQ42"), std::string::npos) << logged;
  EXPECT_NE(logged.find("INSERT OR REPLACE INTO objects"), std::string::npos) << logged;
}

TEST(ForClientTest, FullDiskKeepsItsCodeAndHidesThePath) {
  CapturedLog log;
  const Error shown = ForClient(
      Error(ErrorCode::kInsufficientStorage, "write /data/tmp/0123.tmp: No space left on device"),
      "REQ7");
  EXPECT_EQ(shown.code, ErrorCode::kInsufficientStorage);
  EXPECT_EQ(shown.Message(), LookupError(ErrorCode::kInsufficientStorage).message);
  const std::string xml = RenderError(shown, "/b/k", "REQ7");
  EXPECT_EQ(xml.find("/data/tmp"), std::string::npos) << xml;
  EXPECT_NE(log.Text().find("REQ7"), std::string::npos);
  EXPECT_NE(log.Text().find("write /data/tmp/0123.tmp: No space left on device"), std::string::npos)
      << log.Text();
}

TEST(ForClientTest, LoggedDetailHasItsControlCharactersEscaped) {
  CapturedLog log;
  (void)ForClient(Error(ErrorCode::kInternalError, "open /d/x\nforged line\x1b[31m"), "REQ9");
  const std::string logged = log.Text();
  EXPECT_NE(logged.find("open /d/x\\x0aforged line\\x1b[31m"), std::string::npos) << logged;
  EXPECT_EQ(logged.find("\nforged"), std::string::npos) << logged;
}

TEST(ForClientTest, ClientErrorsKeepTheirMessages) {
  CapturedLog log;
  for (const Error& error :
       {Error(ErrorCode::kInvalidArgument, "x-amz-meta-a is too long"),
        Error(ErrorCode::kNoSuchKey),
        Error(ErrorCode::kNotImplemented, "GetObjectTagging is not implemented by cairn yet.")}) {
    const Error shown = ForClient(error, "REQ1");
    EXPECT_EQ(shown.code, error.code);
    EXPECT_EQ(shown.Message(), error.Message());
  }
  EXPECT_EQ(log.Text(), "");
}

TEST(ForClientTest, StorageFailureIsMappedAndLoggedByNameUnderTheRequestId) {
  CapturedLog log;
  Error failure(ErrorCode::kStorageIOError, "sqlite: COMMIT: disk I/O error");
  failure.outcome_unknown = true;
  const Error shown = ForClient(failure, "REQ11");
  EXPECT_EQ(shown.code, ErrorCode::kInternalError);
  EXPECT_EQ(shown.Message(), kGeneric);
  EXPECT_NE(log.Text().find("request REQ11: InternalError (StorageIOError, outcome unknown): "
                            "sqlite: COMMIT: disk I/O error"),
            std::string::npos)
      << log.Text();

  const Error busy = ForClient(Error(ErrorCode::kStorageBusy), "REQ12");
  EXPECT_EQ(busy.code, ErrorCode::kSlowDown);
  EXPECT_NE(log.Text().find("request REQ12: SlowDown (StorageBusy)"), std::string::npos)
      << "a storage failure is logged even without detail: " << log.Text();
}

TEST(ForClientTest, NoStorageFailureIsRenderedAsItIs) {
  // A caller that skipped ForClient still sends the S3 answer, without the detail.
  const std::string xml =
      RenderError(Error(ErrorCode::kStorageNoSpace, "write /data/tmp/0123.tmp: No space left"),
                  "/b/k", "REQ13");
  EXPECT_NE(xml.find("<Code>InsufficientStorage</Code>"), std::string::npos) << xml;
  EXPECT_EQ(xml.find("StorageNoSpace"), std::string::npos) << xml;
  EXPECT_EQ(xml.find("/data/tmp"), std::string::npos) << xml;

  const std::string result = RenderDeleteResult(
      {{"a", Error(ErrorCode::kStorageConflict, "sqlite: database snapshot is stale")}},
      /*quiet=*/true);
  EXPECT_NE(result.find("<Code>SlowDown</Code>"), std::string::npos) << result;
  EXPECT_EQ(result.find("snapshot"), std::string::npos) << result;
  EXPECT_EQ(result.find("StorageConflict"), std::string::npos) << result;
}

TEST(ForClientTest, ServerFailureWithoutDetailLogsNothing) {
  CapturedLog log;
  EXPECT_EQ(ForClient(Error(ErrorCode::kInternalError), "REQ1").Message(), kGeneric);
  EXPECT_EQ(log.Text(), "");
}

}  // namespace
}  // namespace cairn::s3
