#include "app/serve.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstdio>
#include <spdlog/spdlog.h>
#include <thread>
#include <vector>

#include "app/credentials.h"
#include "app/data_dir.h"
#include "app/lifecycle_worker.h"
#include "blob/fs/fs_blob_store.h"
#include "common/encoding.h"
#include "common/hashing.h"
#include "http/server.h"
#include "meta/sqlite/sqlite_meta_store.h"
#include "s3/pipeline.h"

namespace cairn::app {
namespace {

bool SplitHostPort(const std::string& listen, std::string& host, unsigned short& port) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  try {
    int p = std::stoi(listen.substr(colon + 1));
    if (p < 0 || p > 65535) return false;
    port = static_cast<unsigned short>(p);
  } catch (...) {
    return false;
  }
  return !host.empty();
}

int Fail(const std::string& what) {
  std::fprintf(stderr, "cairn: %s\n", what.c_str());
  return 1;
}

}  // namespace

int RunServe(const ServeOptions& options) {
  http::ServerOptions server_options;
  if (!SplitHostPort(options.listen, server_options.host, server_options.port)) {
    return Fail("--listen wants HOST:PORT, got '" + options.listen + "'");
  }
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return Fail("--tls-cert and --tls-key go together");
  }
  auto dir = DataDir::Open(options.data_dir);
  if (!dir.ok()) return Fail(std::string(dir.error().Message()));
  auto meta = meta::OpenSqliteMetaStore((*dir)->MetaPath());
  if (!meta.ok()) return Fail("metadata store: " + std::string(meta.error().Message()));
  auto blobs = blob::OpenFsBlobStore((*dir)->path());
  if (!blobs.ok()) return Fail("blob store: " + std::string(blobs.error().Message()));
  auto swept = SweepAfterCrash(**meta, **blobs);
  if (!swept.ok()) return Fail("start-up sweep: " + std::string(swept.error().Message()));
  if (swept->orphan_blobs_removed > 0) {
    spdlog::info("removed {} orphaned blob(s) left by an earlier crash", swept->orphan_blobs_removed);
  }
  auto key = LoadOrCreateAdminKey(**dir);
  if (!key.ok()) return Fail(std::string(key.error().Message()));

  if (!options.tls_cert.empty()) {
    auto tls = std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server);
    try {
      tls->set_options(boost::asio::ssl::context::default_workarounds |
                       boost::asio::ssl::context::no_sslv2 | boost::asio::ssl::context::no_sslv3 |
                       boost::asio::ssl::context::no_tlsv1 | boost::asio::ssl::context::no_tlsv1_1);
      tls->use_certificate_chain_file(options.tls_cert);
      tls->use_private_key_file(options.tls_key, boost::asio::ssl::context::pem);
    } catch (const std::exception& e) {
      return Fail(std::string("TLS certificate or key: ") + e.what());
    }
    server_options.tls = std::move(tls);
  }

  boost::asio::thread_pool pool(options.worker_threads);
  const AdminKey admin = *key;
  s3::Services services{
      **meta,
      **blobs,
      pool,
      [admin](std::string_view id) -> std::optional<std::string> {
        if (id == admin.access_key_id) return admin.secret_access_key;
        return std::nullopt;
      },
      s3::ServerConfig{},
      s3::Owner{HexEncode(Sha256(admin.access_key_id)), "cairn"},
  };
  services.config.region = options.region;
  services.config.base_domain = options.base_domain;
  services.config.free_space_reserve = options.free_space_reserve_mib << 20;

  core::LifecycleSweeper sweeper(**meta, **blobs);
  LifecycleWorker lifecycle(sweeper, pool);
  s3::TestHooks test_hooks{[&lifecycle](std::chrono::seconds by) { lifecycle.AdvanceClock(by); },
                           [&lifecycle] { return lifecycle.SweepNow(); }};
  if (options.enable_test_hooks) services.test_hooks = &test_hooks;

  boost::asio::io_context io;
  lifecycle.Start(io, std::chrono::seconds(std::max(1u, options.lifecycle_interval_seconds)));
  http::Server server(io, server_options,
                      [&services](http::Exchange& ex) { return s3::HandleRequest(services, ex); });
  unsigned short port = 0;
  try {
    port = server.Start();
  } catch (const std::exception& e) {
    return Fail("cannot listen on " + options.listen + ": " + e.what());
  }
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) {
    server.Stop();
    io.stop();
  });

  const std::string scheme = server_options.tls ? "https" : "http";
  std::printf("cairn is serving S3 at %s://%s:%u (region %s)\n", scheme.c_str(),
              server_options.host.c_str(), port, options.region.c_str());
  std::printf("data directory: %s\n", (*dir)->path().c_str());
  std::printf("access key id:     %s\n", admin.access_key_id.c_str());
  if (admin.source == AdminKey::Source::kEnvironment) {
    std::printf("secret access key: (from CAIRN_SECRET_ACCESS_KEY)\n");
  } else {
    std::printf("secret access key: %s\n", admin.secret_access_key.c_str());
    std::printf("(stored in %s)\n", (*dir)->CredentialsPath().c_str());
  }
  std::fflush(stdout);

  unsigned threads = options.io_threads ? options.io_threads : std::thread::hardware_concurrency();
  std::vector<std::thread> runners;
  for (unsigned i = 1; i < std::max(1u, threads); ++i) runners.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : runners) t.join();
  pool.join();
  return 0;
}

}  // namespace cairn::app
