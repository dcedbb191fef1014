#include "app/engine_url.h"

#include <charconv>

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

constexpr std::string_view kBlobForms =
    "file:///path/to/dir, rados://POOL?conf=/etc/ceph/ceph.conf[&user=NAME][&stripe=BYTES] or "
    "mem://";

Error BadRados(std::string_view url, const std::string& why) {
  return Error(
      ErrorCode::kInvalidArgument,
      "--blob " + std::string(url) + ": " + why +
          " (the form is rados://POOL?conf=/etc/ceph/ceph.conf[&user=NAME][&stripe=BYTES])");
}

// "rados://POOL?key=value&...": the pool, then conf (required), user and stripe (optional).
Result<RadosUrl> ParseRadosUrl(std::string_view url) {
  std::string_view rest = url.substr(std::string_view("rados://").size());
  const size_t question = rest.find('?');
  std::optional<std::string> pool = UrlDecode(rest.substr(0, question));
  if (!pool || pool->empty() ||
      pool->find_first_of(std::string_view("/\0", 2)) != std::string::npos) {
    return BadRados(url, "the pool name is missing or invalid");
  }
  RadosUrl parsed;
  parsed.pool = std::move(*pool);
  bool has_conf = false, has_user = false, has_stripe = false;
  std::string_view query = question == std::string_view::npos ? "" : rest.substr(question + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? "" : query.substr(amp + 1);
    const size_t eq = pair.find('=');
    const std::string_view key = pair.substr(0, eq);
    std::optional<std::string> value =
        eq == std::string_view::npos ? std::nullopt : UrlDecode(pair.substr(eq + 1));
    if (!value || value->empty() || value->find('\0') != std::string::npos) {
      return BadRados(url, "'" + std::string(pair) + "' wants a non-empty value");
    }
    bool* seen = key == "conf"     ? &has_conf
                 : key == "user"   ? &has_user
                 : key == "stripe" ? &has_stripe
                                   : nullptr;
    if (seen == nullptr) return BadRados(url, "unknown parameter '" + std::string(key) + "'");
    if (*seen) return BadRados(url, "'" + std::string(key) + "' is given twice");
    *seen = true;
    if (key == "conf") {
      parsed.conf = std::move(*value);
    } else if (key == "user") {
      parsed.user = std::move(*value);
    } else {
      uint64_t bytes = 0;
      auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), bytes);
      if (ec != std::errc() || end != value->data() + value->size() ||
          bytes < RadosUrl::kMinStripe || bytes > RadosUrl::kMaxStripe) {
        return BadRados(url, "stripe wants a byte count from " +
                                 std::to_string(RadosUrl::kMinStripe) + " to " +
                                 std::to_string(RadosUrl::kMaxStripe));
      }
      parsed.stripe_bytes = bytes;
    }
  }
  if (!has_conf) return BadRados(url, "conf=/path/to/ceph.conf is required");
  return parsed;
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
  if (url.empty()) return BlobEngineUrl{BlobEngine::kFile, std::string(default_path), {}};
  if (url == "mem://") return BlobEngineUrl{BlobEngine::kMemory, "", {}};
  if (url.starts_with("rados://")) {
    Result<RadosUrl> rados = ParseRadosUrl(url);
    if (!rados.ok()) return rados.error();
    return BlobEngineUrl{BlobEngine::kRados, "", std::move(*rados)};
  }
  if (std::optional<std::string> path = PathAfter(url, "file")) {
    return BlobEngineUrl{BlobEngine::kFile, std::move(*path), {}};
  }
  return Unknown("--blob", url, kBlobForms);
}

}  // namespace cairn::app
