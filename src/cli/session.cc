// Resolution of the server's address and keys, and the --local in-process server.
#include "cli/session.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "app/serve.h"
#include "cairn/errors.h"
#include "cli/errors.h"
#include "common/random.h"

namespace cairn::cli {
namespace {

std::string ConfigPath(const GetEnv& env) {
  if (auto path = env("CAIRN_CONFIG"); path && !path->empty()) return *path;
  if (auto xdg = env("XDG_CONFIG_HOME"); xdg && !xdg->empty()) return *xdg + "/cairn/config.json";
  if (auto home = env("HOME"); home && !home->empty()) return *home + "/.config/cairn/config.json";
  return {};
}

// The profile's object, or null when there is no file or no such profile.
nlohmann::json LoadProfile(const std::string& path, const std::string& name, bool required) {
  std::ifstream in(path);
  if (!in) {
    if (required) throw UsageError("--profile " + name + ": cannot read the config file " + path);
    return nullptr;
  }
  std::stringstream text;
  text << in.rdbuf();
  if (text.str().find_first_not_of(" \t\r\n") == std::string::npos) {  // empty: no profiles
    if (required) throw UsageError("no profile '" + name + "' in " + path + " (it is empty)");
    return nullptr;
  }
  nlohmann::json config = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded() || !config.is_object()) {
    throw UsageError(path + " is not valid JSON (expected {\"profiles\": {\"NAME\": {...}}})");
  }
  auto profiles = config.find("profiles");
  if (profiles == config.end() || !profiles->is_object() || !profiles->contains(name)) {
    if (required) throw UsageError("no profile '" + name + "' in " + path);
    return nullptr;
  }
  const nlohmann::json& profile = (*profiles)[name];
  if (!profile.is_object())
    throw UsageError("profile '" + name + "' in " + path + " is not an object");
  return profile;
}

std::optional<std::string> ProfileField(const nlohmann::json& profile, const char* field) {
  if (!profile.is_object()) return std::nullopt;
  auto it = profile.find(field);
  if (it == profile.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

// The first source that has a non-empty value.
std::string FirstOf(std::initializer_list<std::optional<std::string>> sources,
                    std::string fallback = {}) {
  for (const auto& value : sources) {
    if (value && !value->empty()) return *value;
  }
  return fallback;
}

std::optional<std::string> Flag(const std::string& value) {
  if (value.empty()) return std::nullopt;
  return value;
}

}  // namespace

void AddConnectionOptions(CLI::App* cmd, ConnectionOptions& options) {
  const char* group = "Server";
  cmd->add_option("--endpoint", options.endpoint,
                  "S3 endpoint URL (env CAIRN_ENDPOINT; default http://127.0.0.1:9000)")
      ->group(group);
  cmd->add_option("--access-key-id", options.access_key_id,
                  "Access key id (env CAIRN_ACCESS_KEY_ID)")
      ->group(group);
  cmd->add_option("--secret-access-key", options.secret_access_key,
                  "Secret access key (env CAIRN_SECRET_ACCESS_KEY)")
      ->group(group);
  cmd->add_option("--profile", options.profile,
                  "Profile of the config file (CAIRN_CONFIG or ~/.config/cairn/config.json)")
      ->group(group);
  cmd->add_option("--region", options.region, "Region to sign for")
      ->capture_default_str()
      ->group(group);
  cmd->add_option("--ca-file", options.ca_file, "PEM bundle to verify an https endpoint with")
      ->group(group);
  cmd->add_flag("--insecure", options.insecure, "Do not verify the endpoint's TLS certificate")
      ->group(group);
  CLI::Option* local = cmd->add_flag(
      "--local", options.local,
      "Work on a stopped server's data directory directly (refused while a server holds it)");
  local->group(group);
  cmd->add_option("--data-dir", options.data_dir, "The data directory for --local")
      ->capture_default_str()
      ->group(group);
  for (const char* remote : {"--endpoint", "--access-key-id", "--secret-access-key", "--profile"}) {
    local->excludes(cmd->get_option(remote));
  }
}

std::optional<std::string> ProcessEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

ClientConfig ResolveClientConfig(const ConnectionOptions& options, const GetEnv& env) {
  const std::string path = ConfigPath(env);
  const bool explicit_profile = !options.profile.empty();
  nlohmann::json profile = nullptr;
  if (!path.empty() || explicit_profile) {
    profile = LoadProfile(path, explicit_profile ? options.profile : "default", explicit_profile);
  }
  // An explicit profile ranks above the environment, the default one below it.
  const nlohmann::json chosen = explicit_profile ? profile : nlohmann::json(nullptr);
  const nlohmann::json fallback = explicit_profile ? nlohmann::json(nullptr) : profile;
  ClientConfig config;
  config.endpoint = FirstOf({Flag(options.endpoint), ProfileField(chosen, "endpoint"),
                             env("CAIRN_ENDPOINT"), ProfileField(fallback, "endpoint")},
                            kDefaultEndpoint);
  config.accessKeyId =
      FirstOf({Flag(options.access_key_id), ProfileField(chosen, "access_key_id"),
               env("CAIRN_ACCESS_KEY_ID"), ProfileField(fallback, "access_key_id")});
  config.secretAccessKey =
      FirstOf({Flag(options.secret_access_key), ProfileField(chosen, "secret_access_key"),
               env("CAIRN_SECRET_ACCESS_KEY"), ProfileField(fallback, "secret_access_key")});
  config.sessionToken = FirstOf({ProfileField(chosen, "session_token"), env("CAIRN_SESSION_TOKEN"),
                                 ProfileField(fallback, "session_token")});
  config.region = FirstOf({Flag(options.region == "auto" ? "" : options.region),
                           ProfileField(chosen, "region"), ProfileField(fallback, "region")},
                          "auto");
  config.caFile = options.ca_file;
  config.verifyTls = !options.insecure;
  if (config.endpoint.find("://") == std::string::npos) {
    throw UsageError("the endpoint must be a URL such as http://127.0.0.1:9000, got '" +
                     config.endpoint + "'");
  }
  while (config.endpoint.size() > 8 && config.endpoint.back() == '/') config.endpoint.pop_back();
  return config;
}

std::unique_ptr<Session> Session::Open(const ConnectionOptions& options) {
  std::unique_ptr<Session> session(new Session());
  ClientConfig config;
  if (options.local) {
    struct stat st;
    if (::stat(options.data_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      throw LocalFileError("no data directory at " + options.data_dir +
                           " (--local works on the --data-dir of a stopped `cairn serve`)");
    }
    // The server inside this process logs to stderr and only what matters: stdout is the
    // command's output (possibly --json).
    spdlog::set_default_logger(spdlog::stderr_color_mt("cairn-local"));
    spdlog::set_level(spdlog::level::warn);
    app::ServeOptions serve;
    serve.listen = "127.0.0.1:0";
    serve.data_dir = options.data_dir;
    serve.worker_threads = 8;
    // A key nobody else knows, for this process only; the data dir's admin key stays untouched.
    app::AdminKey key{"CAIRNLOCAL" + RandomHex(5), RandomHex(20),
                      app::AdminKey::Source::kGenerated};
    auto server = app::InProcessServer::Start(serve, key);
    if (!server.ok()) {
      std::string message(server.error().Message());
      if (message.find("in use by another cairn process") != std::string::npos) {
        throw CliError(kExitS3Error, "refusing: " + message +
                                         "; stop that server, or drop --local and talk to it");
      }
      throw CliError(kExitS3Error, "--local: " + message);
    }
    session->local_ = std::move(*server);
    config.endpoint = "http://127.0.0.1:" + std::to_string(session->local_->port());
    config.accessKeyId = key.access_key_id;
    config.secretAccessKey = key.secret_access_key;
  } else {
    config = ResolveClientConfig(options, ProcessEnv);
    if (config.accessKeyId.empty() || config.secretAccessKey.empty()) {
      throw UsageError(
          "no credentials: give --access-key-id and --secret-access-key, set "
          "CAIRN_ACCESS_KEY_ID and CAIRN_SECRET_ACCESS_KEY, or use a profile (cairn serve prints "
          "the key when it starts)");
    }
  }
  session->endpoint_ = config.endpoint;
  const std::string ca_file = config.caFile;
  try {
    session->client_ = std::make_unique<Client>(std::move(config));
  } catch (const std::invalid_argument& e) {
    throw UsageError("bad endpoint '" + session->endpoint_ + "': " + e.what());
  } catch (const TransportError& e) {
    // Nothing was sent yet: what failed is loading the trust store.
    if (!ca_file.empty()) throw LocalFileError("cannot use --ca-file " + ca_file + ": " + e.what());
    throw;
  }
  return session;
}

Session::~Session() = default;

}  // namespace cairn::cli
