// Where a command's server is and how to talk to it. The endpoint and keys come, field by field,
// from the flags, else from a profile named with --profile, else from CAIRN_ENDPOINT /
// CAIRN_ACCESS_KEY_ID / CAIRN_SECRET_ACCESS_KEY, else from the "default" profile of the config
// file (CAIRN_CONFIG, or ~/.config/cairn/config.json:
// {"profiles": {"default": {"endpoint": .., "access_key_id": .., "secret_access_key": ..}}}),
// else the endpoint is http://127.0.0.1:9000. Temporary credentials (cairn key temp) add their
// token from the profile's "session_token" or CAIRN_SESSION_TOKEN. An explicit --profile beats the
// environment because naming one is a choice made for this command; a default profile does not.
//
// `--local` instead starts a cairn server inside this process on a stopped server's data directory
// (its lock keeps a running server and the command from both writing it), on a loopback port with
// a one-off random key, and points the client at it: the command sees exactly what the server
// would serve, through the same code.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "cairn/client.h"

namespace cairn::app {
class InProcessServer;
}

namespace cairn::cli {

inline constexpr const char* kDefaultEndpoint = "http://127.0.0.1:9000";

struct ConnectionOptions {
  std::string endpoint;
  std::string access_key_id;
  std::string secret_access_key;
  std::string profile;
  std::string region = "auto";
  std::string ca_file;
  bool insecure = false;  // do not verify the server's TLS certificate
  bool local = false;
  std::string data_dir = "./data";
};

// Adds the connection flags to `cmd` (in a "Server" group of its --help).
void AddConnectionOptions(CLI::App* cmd, ConnectionOptions& options);

// Environment lookup, replaceable in tests.
using GetEnv = std::function<std::optional<std::string>(const char* name)>;
std::optional<std::string> ProcessEnv(const char* name);

// Resolves the endpoint and keys as described above. Throws a usage error for a --profile that
// the config file does not have, or a config file that is not valid JSON; a missing file is fine
// unless a profile was asked for.
ClientConfig ResolveClientConfig(const ConnectionOptions& options, const GetEnv& env);

// A client, and the in-process server behind it when --local.
class Session {
 public:
  // Throws CliError: kExitUsage for bad options, kExitLocalFile for a data directory that does
  // not exist, kExitS3Error when the directory is in use by another cairn process.
  static std::unique_ptr<Session> Open(const ConnectionOptions& options);
  ~Session();

  Client& client() { return *client_; }
  Bucket bucket(const std::string& name) { return client_->bucket(name); }
  const std::string& endpoint() const { return endpoint_; }
  bool local() const { return local_ != nullptr; }

 private:
  Session() = default;
  std::string endpoint_;
  std::unique_ptr<app::InProcessServer> local_;  // outlives the client, which talks to it
  std::unique_ptr<Client> client_;
};

}  // namespace cairn::cli
