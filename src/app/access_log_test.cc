// An access log line is one JSON object on one ASCII line, whatever bytes the request's key held.
#include "app/access_log.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace cairn::app {
namespace {

TEST(AccessLogLine, HostileKeysStayOnOneAsciiLine) {
  const std::string key = "a\nFORGED\r\x1b[31m\x7f \xc2\x85 \xe2\x80\xa8 caf\xc3\xa9 \xff end";
  s3::RequestRecord record;
  record.request_id = "0123";
  record.operation = "GetObject";
  record.bucket = "bucket";
  record.key = key;
  record.remote_address = "127.0.0.1";
  const std::string line = AccessLog::Line(record, TimePoint{});
  for (const char c : line) {
    const auto byte = static_cast<unsigned char>(c);
    EXPECT_TRUE(byte >= 0x20 && byte < 0x7F) << "byte " << int(byte) << " in " << line;
  }
  const nlohmann::json parsed = nlohmann::json::parse(line);
  // The key reads back as sent, but for the byte that is not UTF-8.
  EXPECT_EQ(parsed["key"].get<std::string>(),
            "a\nFORGED\r\x1b[31m\x7f \xc2\x85 \xe2\x80\xa8 caf\xc3\xa9 \xef\xbf\xbd end");
}

TEST(AccessLogLine, NamesTheKeyThatSignedTheRequestOrNone) {
  s3::RequestRecord record;
  record.operation = "PutObject";
  record.access_key_id = "AKIDEXAMPLE";
  EXPECT_EQ(nlohmann::json::parse(AccessLog::Line(record, TimePoint{}))["access_key_id"],
            "AKIDEXAMPLE");
  EXPECT_EQ(nlohmann::json::parse(AccessLog::Line(record, TimePoint{}))["parent_access_key_id"],
            "");
  record.access_key_id = {};  // anonymous: a preflight, a health check, a refused request
  EXPECT_EQ(nlohmann::json::parse(AccessLog::Line(record, TimePoint{}))["access_key_id"], "");
}

TEST(AccessLogLine, TemporaryCredentialsNameTheirParent) {
  // A temporary credential's id is made for it alone and stored nowhere: its parent is what
  // ties the request to a key an operator knows.
  s3::RequestRecord record;
  record.operation = "PutObject";
  record.access_key_id = "CTTEMPORARY";
  record.parent_access_key_id = "AKIDPARENT";
  const auto line = nlohmann::json::parse(AccessLog::Line(record, TimePoint{}));
  EXPECT_EQ(line["access_key_id"], "CTTEMPORARY");
  EXPECT_EQ(line["parent_access_key_id"], "AKIDPARENT");
}

}  // namespace
}  // namespace cairn::app
