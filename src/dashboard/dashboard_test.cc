// The dashboard's JSON API as a browser uses it, through an in-memory exchange: sign-in sets the
// session cookie (never for temporary credentials), and a session ends the moment its access key
// or the secret it signed in with stops working, for every call.
#include "dashboard/dashboard.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <map>
#include <nlohmann/json.hpp>

namespace cairn::dashboard {
namespace {

using nlohmann::json;

// One request with a body already in memory; the response is kept for the test to read.
class MemoryExchange : public http::Exchange {
 public:
  MemoryExchange(http::RequestHead head, std::string body)
      : head_(std::move(head)), body_(std::move(body)) {}

  const http::RequestHead& request() const override { return head_; }
  Awaitable<void> SendContinue() override { co_return; }
  Awaitable<size_t> ReadBody(char* buffer, size_t size) override {
    const size_t n = std::min(size, body_.size() - read_);
    std::copy_n(body_.data() + read_, n, buffer);
    read_ += n;
    co_return n;
  }
  bool body_done() const override { return read_ == body_.size(); }
  Awaitable<void> Respond(http::ResponseHead head, std::string_view body) override {
    response_ = std::move(head);
    response_body_ = body;
    co_return;
  }
  Awaitable<void> RespondHead(http::ResponseHead head, uint64_t) override {
    response_ = std::move(head);
    co_return;
  }
  Awaitable<void> WriteBody(std::string_view bytes) override {
    response_body_ += bytes;
    co_return;
  }
  bool sends_files() const override { return false; }
  Awaitable<void> SendFile(int, uint64_t, uint64_t) override { co_return; }
  bool response_started() const override { return response_.has_value(); }
  void CloseAfterResponse() override {}
  int response_status() const override { return response_ ? response_->status : 0; }
  uint64_t bytes_received() const override { return read_; }
  uint64_t bytes_sent() const override { return response_body_.size(); }

  std::optional<std::string> ResponseHeader(std::string_view name) const {
    for (const auto& [n, v] : response_->headers) {
      if (n == name) return v;
    }
    return std::nullopt;
  }
  const std::string& response_body() const { return response_body_; }

 private:
  http::RequestHead head_;
  std::string body_;
  size_t read_ = 0;
  std::optional<http::ResponseHead> response_;
  std::string response_body_;
};

struct Answer {
  int status = 0;
  json body;
  std::optional<std::string> set_cookie;
};

class DashboardApi : public ::testing::Test {
 protected:
  DashboardApi() : dashboard_(Options()) { dashboard_.SetS3Port(9000); }

  DashboardOptions Options() {
    DashboardOptions options;
    // As the key ring answers: a temporary credential only with its session token.
    options.credentials =
        [this](std::string_view id,
               std::string_view token) -> Result<std::shared_ptr<const auth::Credential>> {
      auto credential = std::make_shared<auth::Credential>();
      if (auto it = keys_.find(std::string(id)); it != keys_.end() && token.empty()) {
        credential->secrets = it->second;
      } else if (id == kTemporaryId && token == kTemporaryToken) {
        credential->secrets = {std::string(kTemporarySecret)};
      } else {
        return Error(token.empty() ? ErrorCode::kInvalidAccessKeyId : ErrorCode::kInvalidToken,
                     "no such key");
      }
      return std::shared_ptr<const auth::Credential>(std::move(credential));
    };
    options.failed_sign_in_delay = std::chrono::milliseconds(0);
    return options;
  }

  // Sends an API call as the dashboard's page does, with the session cookie when there is one.
  Answer Call(std::string method, std::string path, std::string body = "") {
    http::RequestHead head;
    head.method = std::move(method);
    head.target = "/_cairn/api/" + path;
    head.remote_address = "127.0.0.1";
    head.headers = {
        {"host", "127.0.0.1:9001"}, {"x-cairn-dashboard", "1"}, {"sec-fetch-site", "same-origin"}};
    if (!cookie_.empty()) head.headers.emplace_back("cookie", cookie_);
    MemoryExchange exchange(std::move(head), std::move(body));
    boost::asio::io_context io;
    boost::asio::co_spawn(io, dashboard_.Serve(exchange), boost::asio::detached);
    io.run();
    Answer answer{exchange.response_status(), json::parse(exchange.response_body(), nullptr, false),
                  exchange.ResponseHeader("Set-Cookie")};
    if (answer.body.is_discarded()) answer.body = json();
    return answer;
  }

  Answer SignIn(const std::string& id, const std::string& secret) {
    Answer answer =
        Call("POST", "session", json{{"accessKeyId", id}, {"secretAccessKey", secret}}.dump());
    if (answer.status == 200 && answer.set_cookie) {
      cookie_ = answer.set_cookie->substr(0, answer.set_cookie->find(';'));
    }
    return answer;
  }

  static std::string Code(const Answer& answer) {
    return answer.body.value("/error/code"_json_pointer, std::string());
  }

  static constexpr std::string_view kTemporaryId = "ASIATEMP";
  static constexpr std::string_view kTemporaryToken = "token";
  static constexpr std::string_view kTemporarySecret = "temporary-secret";
  // Each key's secrets: the current one first, then one rotated out in its grace period.
  std::map<std::string, std::vector<std::string>> keys_ = {{"AKADMIN", {"admin-secret"}},
                                                           {"AKAPP", {"app-secret"}}};
  std::string cookie_;
  Dashboard dashboard_;
};

const std::string kListBuckets = R"({"requests": [{"method": "GET"}]})";

TEST_F(DashboardApi, SignedInSessionAnswersAndPresigns) {
  ASSERT_EQ(SignIn("AKAPP", "app-secret").status, 200);
  Answer session = Call("GET", "session");
  EXPECT_EQ(session.status, 200);
  EXPECT_EQ(session.body["accessKeyId"], "AKAPP");
  EXPECT_EQ(session.body["s3Origin"], "http://127.0.0.1:9000");
  Answer presign = Call("POST", "presign", kListBuckets);
  ASSERT_EQ(presign.status, 200) << presign.body.dump();
  EXPECT_NE(presign.body["urls"][0].get<std::string>().find("AKAPP"), std::string::npos);
}

TEST_F(DashboardApi, AWrongSecretIsRefused) {
  Answer answer = SignIn("AKAPP", "admin-secret");
  EXPECT_EQ(answer.status, 401);
  EXPECT_EQ(Code(answer), "InvalidCredentials");
  EXPECT_TRUE(cookie_.empty());
}

TEST_F(DashboardApi, ARevokedKeySignsItsSessionOutOnTheNextCall) {
  ASSERT_EQ(SignIn("AKAPP", "app-secret").status, 200);
  keys_.erase("AKAPP");
  Answer session = Call("GET", "session");
  EXPECT_EQ(session.status, 401);
  EXPECT_EQ(Code(session), "SignedOut");
  ASSERT_TRUE(session.set_cookie);
  EXPECT_NE(session.set_cookie->find("Max-Age=0"), std::string::npos) << *session.set_cookie;
  // The session is over for good: the key coming back (a new key of the same id) does not
  // revive it.
  keys_["AKAPP"] = {"app-secret"};
  EXPECT_EQ(Call("GET", "session").status, 401);
}

TEST_F(DashboardApi, TemporaryCredentialsCannotSignIn) {
  Answer answer = SignIn(std::string(kTemporaryId), std::string(kTemporarySecret));
  EXPECT_EQ(answer.status, 401);
  EXPECT_EQ(Code(answer), "InvalidCredentials");
  EXPECT_TRUE(cookie_.empty());
}

TEST_F(DashboardApi, ASecretRotatedOutSignsInAndLastsOnlyThroughItsGracePeriod) {
  keys_["AKAPP"] = {"new-secret", "app-secret"};  // rotated, the old secret in its grace period
  ASSERT_EQ(SignIn("AKAPP", "app-secret").status, 200);
  const std::string old_session = cookie_;
  ASSERT_EQ(SignIn("AKAPP", "new-secret").status, 200);
  const std::string new_session = cookie_;
  cookie_ = old_session;
  ASSERT_EQ(Call("POST", "presign", kListBuckets).status, 200);

  keys_["AKAPP"] = {"new-secret"};  // the grace period is over
  EXPECT_EQ(Call("GET", "session").status, 401);
  EXPECT_EQ(SignIn("AKAPP", "app-secret").status, 401);
  cookie_ = new_session;
  EXPECT_EQ(Call("GET", "session").status, 200);
}

TEST_F(DashboardApi, ARevokedKeyGetsNoMorePresignedUrls) {
  ASSERT_EQ(SignIn("AKAPP", "app-secret").status, 200);
  ASSERT_EQ(Call("POST", "presign", kListBuckets).status, 200);
  keys_.erase("AKAPP");
  Answer presign = Call("POST", "presign", kListBuckets);
  EXPECT_EQ(presign.status, 401);
  EXPECT_EQ(Code(presign), "SignedOut");
  EXPECT_FALSE(presign.body.contains("urls"));
}

TEST_F(DashboardApi, OtherSessionsLiveOn) {
  ASSERT_EQ(SignIn("AKAPP", "app-secret").status, 200);
  const std::string app_cookie = cookie_;
  ASSERT_EQ(SignIn("AKADMIN", "admin-secret").status, 200);
  keys_.erase("AKAPP");
  EXPECT_EQ(Call("GET", "session").status, 200);
  cookie_ = app_cookie;
  EXPECT_EQ(Call("GET", "session").status, 401);
}

}  // namespace
}  // namespace cairn::dashboard
