// `cairn serve`: opens the data directory and its stores, sweeps what a crash left, and runs the
// S3 server until SIGINT or SIGTERM. The same start-up also runs a server inside another command's
// process (InProcessServer), which is how the command line's `--local` works on a stopped server's
// data directory without a second copy of the storage code.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "app/credentials.h"
#include "common/status.h"

namespace cairn::app {

struct ServeOptions {
  std::string listen = "127.0.0.1:9000";
  // The dashboard's own listener, apart from the S3 API's (dashboard/origins.h). Empty: <listen>'s
  // host with its port + 1, skipped with a notice when that port is taken; "off": no dashboard.
  std::string console_listen;
  // Behind a reverse proxy: the origins browsers reach the S3 API and the console at
  // ("https://s3.example.com"). Empty: the host name the browser used, with each listener's port.
  std::string public_url;
  std::string console_public_url;
  std::string metrics_listen;  // empty: metrics only at <listen>/_cairn/metrics, with the admin key
  std::string access_log;      // a file, "-" for standard output, empty for none
  std::string data_dir = "./data";
  // The storage engines by URL (app/engine_url.h); empty: SQLite and files in data_dir.
  std::string meta_url;
  std::string blob_url;
  // A postgres:// metadata engine only (set for another: an error): the connections this gateway
  // opens (empty: worker_threads) and how long a statement may run or wait for a lock or a
  // connection before the request is answered 503 SlowDown (empty: 30 s).
  std::optional<unsigned> meta_pool;
  std::optional<unsigned> meta_timeout_seconds;
  // On a shared metadata engine: how long a blob released by an overwrite or a delete is kept
  // before it is deleted, for the readers and copies of other gateways (core/blob_reclaimer.h).
  unsigned reclaim_grace_seconds = 600;
  std::string tls_cert;
  std::string tls_key;
  std::string base_domain = "localhost";
  std::string region = "auto";
  uint64_t free_space_reserve_mib = 256;
  unsigned io_threads = 0;       // 0: one per core
  unsigned worker_threads = 16;  // blocking disk and metadata work
  // Records (and small objects' bytes) of hot objects; 0: none. Always none on a postgres://
  // engine: other gateways write it too, and their writes could not drop what this one cached.
  uint64_t object_cache_mib = 32;
  unsigned lifecycle_interval_seconds = 60;
  // Per minute: SigV4 failures per access key id (then SlowDown), failed dashboard sign-ins per
  // client address and per key id (then 429).
  int auth_failure_limit = 10;
  bool enable_test_hooks = false;        // /_cairn/test/ endpoints: for tests only
  unsigned io_timeout_seconds = 300;     // each socket read, write or wait must progress within it
  size_t max_connections = 0;            // per listener; 0: http::DefaultMaxConnections()
  unsigned shutdown_grace_seconds = 30;  // SIGTERM/SIGINT: how long requests in flight may finish
};

// Runs until SIGTERM or SIGINT, then stops gracefully: no new connections, idle ones closed,
// requests in flight finish within options.shutdown_grace_seconds (what is left is then cut), and
// it returns 0. A second signal during that exits the process at once with status 128 + signal.
int RunServe(const ServeOptions& options);

// A server on background threads of this process, with the stores, start-up sweep and S3 pipeline
// of RunServe, but answering only to the key it is given (not the data dir's admin key, which it
// neither reads nor creates) and running no lifecycle sweeps. It holds the data dir's lock while it
// lives, so it fails, as `cairn serve` would, when another process serves the directory.
// Destruction stops it as RunServe does on a signal (waiting for requests in flight for up to
// the grace period), and releases the directory.
class InProcessServer {
 public:
  // options.listen "127.0.0.1:0" picks a free port; tls_*, io_threads and test hooks are ignored.
  static Result<std::unique_ptr<InProcessServer>> Start(const ServeOptions& options,
                                                        const AdminKey& key);
  ~InProcessServer();
  InProcessServer(const InProcessServer&) = delete;
  InProcessServer& operator=(const InProcessServer&) = delete;

  unsigned short port() const;

  struct State;  // implementation

 private:
  explicit InProcessServer(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace cairn::app
