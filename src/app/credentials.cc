#include "app/credentials.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace cairn::app {
namespace {

// Random characters from `alphabet` (rejection sampling keeps them uniform).
std::string RandomString(size_t length, std::string_view alphabet) {
  std::string out;
  while (out.size() < length) {
    unsigned char byte;
    RAND_bytes(&byte, 1);
    if (byte < 256 - 256 % alphabet.size()) out += alphabet[byte % alphabet.size()];
  }
  return out;
}

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
    if (!json.is_object() || !json.contains("access_key_id") || !json.contains("secret_access_key")) {
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

}  // namespace cairn::app
