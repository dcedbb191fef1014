#include "app/engine_url.h"

#include "common/encoding.h"

namespace cairn::app {
namespace {

// The path of "scheme://<path>": "/abs" from "scheme:///abs", "./rel" from "scheme://./rel".
// Percent escapes are decoded, so a path may hold any byte a file name may.
std::optional<std::string> PathAfter(std::string_view url, std::string_view scheme) {
  const std::string prefix = std::string(scheme) + "://";
  if (!url.starts_with(prefix)) return std::nullopt;
  std::string_view rest = url.substr(prefix.size());
  if (!rest.starts_with('/') && !rest.starts_with("./") && !rest.starts_with("../")) {
    return std::nullopt;  // a host name: no engine here is reached over the network
  }
  std::optional<std::string> path = UrlDecode(rest);
  if (!path || path->empty() || path->find('\0') != std::string::npos) return std::nullopt;
  return path;
}

Error Unknown(std::string_view flag, std::string_view url, std::string_view forms) {
  return Error(ErrorCode::kInvalidArgument, std::string(flag) + " wants " + std::string(forms) +
                                                ", got '" + std::string(url) + "'");
}

}  // namespace

Result<MetaEngineUrl> ParseMetaEngineUrl(std::string_view url, std::string_view default_path) {
  if (url.empty()) return MetaEngineUrl{MetaEngine::kSqlite, std::string(default_path), ""};
  if (std::optional<std::string> path = PathAfter(url, "sqlite")) {
    return MetaEngineUrl{MetaEngine::kSqlite, std::move(*path), ""};
  }
  if (url.starts_with("postgres://") || url.starts_with("postgresql://")) {
    return MetaEngineUrl{MetaEngine::kPostgres, "", std::string(url)};
  }
  return Unknown("--meta", url, "sqlite:///path/to/meta.sqlite3 or postgres://user@host:port/db");
}

Result<BlobEngineUrl> ParseBlobEngineUrl(std::string_view url, std::string_view default_path) {
  if (url.empty()) return BlobEngineUrl{BlobEngine::kFile, std::string(default_path)};
  if (url == "mem://") return BlobEngineUrl{BlobEngine::kMemory, ""};
  if (std::optional<std::string> path = PathAfter(url, "file")) {
    return BlobEngineUrl{BlobEngine::kFile, std::move(*path)};
  }
  return Unknown("--blob", url, "file:///path/to/dir or mem://");
}

}  // namespace cairn::app
