// `cairn serve`: opens the data directory and its stores, sweeps what a crash left, and runs the
// S3 server until SIGINT or SIGTERM.
#pragma once

#include <cstdint>
#include <string>

namespace cairn::app {

struct ServeOptions {
  std::string listen = "127.0.0.1:9000";
  std::string data_dir = "./data";
  std::string tls_cert;
  std::string tls_key;
  std::string base_domain = "localhost";
  std::string region = "auto";
  uint64_t free_space_reserve_mib = 256;
  unsigned io_threads = 0;      // 0: one per core
  unsigned worker_threads = 16;  // blocking disk and metadata work
  unsigned lifecycle_interval_seconds = 60;
  bool enable_test_hooks = false;  // /_cairn/test/ endpoints: for tests only
};

int RunServe(const ServeOptions& options);

}  // namespace cairn::app
