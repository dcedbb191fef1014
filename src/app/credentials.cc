#include "app/credentials.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/encoding.h"
#include "common/random.h"

namespace cairn::app {
namespace {

Status WriteFileDurably(const std::string& path, const std::string& content) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status(ErrorCode::kInternalError, "cannot write " + tmp);
  // fchmod too: O_CREAT's mode does not apply to a temporary left over by an earlier run.
  bool ok = ::fchmod(fd, 0600) == 0 &&
            ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status(ErrorCode::kInternalError, "cannot write " + path);
  }
  return Status::Ok();
}

}  // namespace

Result<AdminKey> LoadOrCreateAdminKey(const DataDir& dir) {
  const char* id = std::getenv("CAIRN_ACCESS_KEY_ID");
  const char* secret = std::getenv("CAIRN_SECRET_ACCESS_KEY");
  if (id && secret && *id && *secret) return AdminKey{id, secret, AdminKey::Source::kEnvironment};
  if ((id && *id) != (secret && *secret)) {
    return Error(ErrorCode::kInvalidArgument,
                 "set both CAIRN_ACCESS_KEY_ID and CAIRN_SECRET_ACCESS_KEY, or neither");
  }
  const std::string path = dir.CredentialsPath();
  if (std::ifstream in(path); in) {
    std::stringstream text;
    text << in.rdbuf();
    auto json = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
    if (!json.is_object() || !json.contains("access_key_id") ||
        !json.contains("secret_access_key")) {
      return Error(ErrorCode::kInternalError, path + " is not a valid credentials file");
    }
    return AdminKey{json["access_key_id"].get<std::string>(),
                    json["secret_access_key"].get<std::string>(), AdminKey::Source::kStored};
  }
  AdminKey key{RandomString(20, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
               RandomString(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"),
               AdminKey::Source::kGenerated};
  nlohmann::json json = {{"access_key_id", key.access_key_id},
                         {"secret_access_key", key.secret_access_key}};
  if (Status s = WriteFileDurably(path, json.dump(2) + "\n"); !s.ok()) return s.error();
  return key;
}

Result<std::string> LoadOrCreateMasterKey(const DataDir& dir) {
  auto decode = [](std::string_view hex, const std::string& source) -> Result<std::string> {
    while (!hex.empty() && (hex.back() == '\n' || hex.back() == ' ')) hex.remove_suffix(1);
    std::optional<std::string> key = hex.size() == 64 ? HexDecode(hex) : std::nullopt;
    if (!key) return Error(ErrorCode::kInvalidArgument, source + " must be 64 hex digits");
    return *key;
  };
  if (const char* env = std::getenv("CAIRN_MASTER_KEY"); env && *env) {
    return decode(env, "CAIRN_MASTER_KEY");
  }
  const std::string path = dir.MasterKeyPath();
  if (std::ifstream in(path); in) {
    std::stringstream text;
    text << in.rdbuf();
    return decode(text.str(), path);
  }
  const std::string hex = RandomHex(32);
  if (Status s = WriteFileDurably(path, hex + "\n"); !s.ok()) return s.error();
  return *HexDecode(hex);
}

}  // namespace cairn::app
