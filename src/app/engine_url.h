// Which storage engines a server runs on, named by URL as Garage's `db` crate names its engines:
// `--meta sqlite:///path/meta.sqlite3` or `--meta postgres://user@host:port/db`, and `--blob
// file:///path`, `--blob rados://POOL?conf=/etc/ceph/ceph.conf` or `--blob mem://`. Only app/ names
// concrete engines: this file parses the URLs, app/engines.h opens them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace cairn::app {

enum class MetaEngine { kSqlite, kPostgres };
enum class BlobEngine { kFile, kRados, kMemory };

struct MetaEngineUrl {
  MetaEngine engine = MetaEngine::kSqlite;
  std::string path;  // kSqlite: the database file
  std::string uri;   // kPostgres: the libpq connection URI, as given (libpq parses it)
};

// Where a RADOS store lives, and how its blobs are cut.
struct RadosUrl {
  std::string pool;
  std::string conf;            // the ceph.conf that names the cluster's monitors
  std::string user = "admin";  // the cephx client name, without "client."
  uint64_t stripe_bytes = 4 << 20;

  static constexpr uint64_t kMinStripe = 4 << 10;
  static constexpr uint64_t kMaxStripe = 64 << 20;  // half of Ceph's default osd_max_object_size
};

struct BlobEngineUrl {
  BlobEngine engine = BlobEngine::kFile;
  std::string path;  // kFile: the directory that holds blobs/ and tmp/; otherwise empty
  RadosUrl rados{};  // kRados
};

// "sqlite:///abs/path" (three slashes: an empty host, then the absolute path) or
// "sqlite://./relative/path"; "postgres://..." or "postgresql://..." (any libpq connection URI);
// empty: `default_path`. Errors: InvalidArgument naming the forms.
Result<MetaEngineUrl> ParseMetaEngineUrl(std::string_view url, std::string_view default_path);
// "file:///abs/path", "file://./relative/path", "mem://", or
// "rados://POOL?conf=/path/ceph.conf[&user=NAME][&stripe=BYTES]" (values percent-decoded; the
// stripe between RadosUrl's bounds); empty: file at `default_path`.
Result<BlobEngineUrl> ParseBlobEngineUrl(std::string_view url, std::string_view default_path);

}  // namespace cairn::app
