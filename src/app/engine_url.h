// Which storage engines a server runs on, named by URL as Garage's `db` crate names its engines:
// `--meta sqlite:///path/meta.sqlite3` or `--meta postgres://user@host:port/db`, and `--blob
// file:///path` or `--blob mem://`. Only app/ names concrete engines: this file parses the URLs,
// app/engines.h opens them.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace cairn::app {

enum class MetaEngine { kSqlite, kPostgres };
enum class BlobEngine { kFile, kMemory };

struct MetaEngineUrl {
  MetaEngine engine = MetaEngine::kSqlite;
  std::string path;  // kSqlite: the database file
  std::string uri;   // kPostgres: the libpq connection URI, as given (libpq parses it)
};

struct BlobEngineUrl {
  BlobEngine engine = BlobEngine::kFile;
  std::string path;  // kFile: the directory that holds blobs/ and tmp/; kMemory: empty
};

// "sqlite:///abs/path" (three slashes: an empty host, then the absolute path) or
// "sqlite://./relative/path"; "postgres://..." or "postgresql://..." (any libpq connection URI);
// empty: `default_path`. Errors: InvalidArgument naming the forms.
Result<MetaEngineUrl> ParseMetaEngineUrl(std::string_view url, std::string_view default_path);
// "file:///abs/path", "file://./relative/path" or "mem://"; empty: file at `default_path`.
Result<BlobEngineUrl> ParseBlobEngineUrl(std::string_view url, std::string_view default_path);

}  // namespace cairn::app
