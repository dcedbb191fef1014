// Where the endpoint and keys come from: flags, an explicit profile, the environment, the default
// profile and the built-in default, in that order, field by field.
#include "cli/session.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "cli/errors.h"

namespace cairn::cli {
namespace {

class ResolveClientConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cairn-cli-session-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    env_["CAIRN_CONFIG"] = (dir_ / "config.json").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void WriteConfig(const std::string& text) { std::ofstream(dir_ / "config.json") << text; }

  ClientConfig Resolve(const ConnectionOptions& options) {
    return ResolveClientConfig(options, [this](const char* name) -> std::optional<std::string> {
      auto it = env_.find(name);
      if (it == env_.end()) return std::nullopt;
      return it->second;
    });
  }

  std::filesystem::path dir_;
  std::map<std::string, std::string> env_;
};

constexpr char kConfig[] = R"({"profiles": {
  "default": {"endpoint": "http://default:1", "access_key_id": "DEF", "secret_access_key": "defsecret"},
  "prod": {"endpoint": "https://prod:2/", "access_key_id": "PROD", "secret_access_key": "prodsecret",
           "region": "eu"}}})";

TEST_F(ResolveClientConfigTest, DefaultsWithNothingConfigured) {
  ClientConfig c = Resolve({});
  EXPECT_EQ(c.endpoint, kDefaultEndpoint);
  EXPECT_EQ(c.accessKeyId, "");
  EXPECT_EQ(c.region, "auto");
  EXPECT_TRUE(c.verifyTls);
}

TEST_F(ResolveClientConfigTest, DefaultProfileIsTheLastResort) {
  WriteConfig(kConfig);
  ClientConfig c = Resolve({});
  EXPECT_EQ(c.endpoint, "http://default:1");
  EXPECT_EQ(c.accessKeyId, "DEF");
  env_["CAIRN_ENDPOINT"] = "http://env:3";
  env_["CAIRN_ACCESS_KEY_ID"] = "ENV";
  c = Resolve({});
  EXPECT_EQ(c.endpoint, "http://env:3");
  EXPECT_EQ(c.accessKeyId, "ENV");
  EXPECT_EQ(c.secretAccessKey, "defsecret");  // field by field
}

TEST_F(ResolveClientConfigTest, FlagsBeatEverything) {
  WriteConfig(kConfig);
  env_["CAIRN_ENDPOINT"] = "http://env:3";
  ConnectionOptions o;
  o.endpoint = "http://flag:4";
  o.access_key_id = "FLAG";
  o.secret_access_key = "flagsecret";
  o.profile = "prod";
  ClientConfig c = Resolve(o);
  EXPECT_EQ(c.endpoint, "http://flag:4");
  EXPECT_EQ(c.accessKeyId, "FLAG");
  EXPECT_EQ(c.secretAccessKey, "flagsecret");
  EXPECT_EQ(c.region, "eu");
}

TEST_F(ResolveClientConfigTest, ExplicitProfileBeatsTheEnvironment) {
  WriteConfig(kConfig);
  env_["CAIRN_ENDPOINT"] = "http://env:3";
  env_["CAIRN_SECRET_ACCESS_KEY"] = "envsecret";
  ConnectionOptions o;
  o.profile = "prod";
  ClientConfig c = Resolve(o);
  EXPECT_EQ(c.endpoint, "https://prod:2");  // trailing slash dropped
  EXPECT_EQ(c.secretAccessKey, "prodsecret");
}

TEST_F(ResolveClientConfigTest, SessionTokenComesFromTheEnvironment) {
  EXPECT_EQ(Resolve(ConnectionOptions{}).sessionToken, "") << "permanent keys have none";
  env_["CAIRN_SESSION_TOKEN"] = "cairn1.token";
  EXPECT_EQ(Resolve(ConnectionOptions{}).sessionToken, "cairn1.token");
}

TEST_F(ResolveClientConfigTest, MissingProfileOrBadFileIsAUsageError) {
  ConnectionOptions o;
  o.profile = "prod";
  try {
    Resolve(o);  // no file at all
    ADD_FAILURE();
  } catch (const CliError& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
  }
  WriteConfig(kConfig);
  o.profile = "staging";
  EXPECT_THROW(Resolve(o), CliError);
  WriteConfig("{not json");
  EXPECT_THROW(Resolve({}), CliError);
}

TEST_F(ResolveClientConfigTest, HomeConfigIsFoundWithoutCairnConfig) {
  env_.erase("CAIRN_CONFIG");
  env_["HOME"] = dir_.string();
  std::filesystem::create_directories(dir_ / ".config" / "cairn");
  std::ofstream(dir_ / ".config" / "cairn" / "config.json") << kConfig;
  EXPECT_EQ(Resolve({}).accessKeyId, "DEF");
}

TEST_F(ResolveClientConfigTest, EndpointMustBeAUrl) {
  ConnectionOptions o;
  o.endpoint = "localhost:9000";
  EXPECT_THROW(Resolve(o), CliError);
}

TEST_F(ResolveClientConfigTest, TlsOptionsPassThrough) {
  ConnectionOptions o;
  o.insecure = true;
  o.ca_file = "/etc/ca.pem";
  ClientConfig c = Resolve(o);
  EXPECT_FALSE(c.verifyTls);
  EXPECT_EQ(c.caFile, "/etc/ca.pem");
}

}  // namespace
}  // namespace cairn::cli
