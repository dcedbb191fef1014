#include "app/serve.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <thread>
#include <tuple>
#include <vector>

#include "app/credentials.h"
#include "app/data_dir.h"
#include "app/engines.h"
#include "app/key_refresher.h"
#include "app/lifecycle_worker.h"
#include "app/observability.h"
#include "blob/fault/fault_blob_store.h"
#include "blob/free_space_gauge.h"
#include "common/encoding.h"
#include "common/every.h"
#include "common/hashing.h"
#include "core/blob_reclaimer.h"
#include "core/origin.h"
#include "core/storage.h"
#include "dashboard/dashboard.h"
#include "http/event_loops.h"
#include "http/server.h"
#include "meta/caching_meta_store.h"
#include "meta/fault/fault_meta_store.h"
#include "meta/object_cache.h"
#include "meta/timed_meta_store.h"
#include "s3/pipeline.h"
#include "version/version.h"

namespace cairn::app {
namespace {

bool SplitHostPort(const std::string& listen, std::string& host, unsigned short& port) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
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

Error Failed(const std::string& what) { return Error(ErrorCode::kInternalError, what); }

// --meta-pool and --meta-timeout, for a PostgreSQL engine; refused for another, which has neither.
Result<meta::PostgresOptions> PostgresOptionsFor(const ServeOptions& options, bool postgres) {
  if (!postgres && (options.meta_pool || options.meta_timeout_seconds)) {
    return Failed("--meta-pool and --meta-timeout apply to a postgres:// metadata engine only");
  }
  meta::PostgresOptions out;
  out.connections = static_cast<int>(options.meta_pool.value_or(options.worker_threads));
  if (options.meta_timeout_seconds) {
    out.statement_timeout = std::chrono::seconds(*options.meta_timeout_seconds);
  }
  return out;
}

}  // namespace

// What a running server owns, declared in the order it is built, so that destruction runs in
// reverse: the HTTP servers before the services they call, the stores before the data dir's
// lock, the metrics after everything that reports to them.
struct InProcessServer::State {
  std::unique_ptr<DataDir> dir;
  std::unique_ptr<Observability> observability;
  std::unique_ptr<meta::MetaStore> engine;  // SQLite
  // --enable-test-hooks only: the faults a test arms (for the metadata engine's fault wrapper
  // here, and the blob engine's in `blobs`), and the metadata engine behind its wrapper.
  std::unique_ptr<FaultPlan> faults;
  std::unique_ptr<meta::MetaStore> faulty;
  std::unique_ptr<meta::MetaStore>
      timed;  // the engine (or its fault wrapper), timed for the metrics
  // Whether other processes (gateways) share the metadata engine: PostgreSQL.
  bool shared_meta = false;
  std::unique_ptr<meta::ObjectCache>
      object_cache;                          // null: no cache (and always on a shared engine)
  std::unique_ptr<meta::MetaStore> caching;  // the timed engine, keeping the object cache right
  meta::MetaStore* meta = nullptr;           // `caching`, or the timed engine without a cache
  std::unique_ptr<blob::BlobStore> blobs;
  std::unique_ptr<blob::FreeSpaceGauge> free_space;  // null for an engine without a local disk
  AdminKey admin;
  std::unique_ptr<keys::KeyRing> keys;             // outlives the pool that records keys' last use
  std::unique_ptr<KeyRefresher> key_refresher;     // on a shared engine only
  std::unique_ptr<core::BlobReclaimer> reclaimer;  // outlives the pool that runs its deletions
  std::unique_ptr<boost::asio::thread_pool> pool;  // work that may wait for the disk
  std::unique_ptr<boost::asio::thread_pool> lookups;  // metadata reads
  std::unique_ptr<core::Storage> storage;             // what the core services work on
  std::unique_ptr<s3::Services> services;
  std::unique_ptr<core::LifecycleSweeper> sweeper;
  std::unique_ptr<LifecycleWorker> lifecycle;
  s3::TestHooks test_hooks;
  std::unique_ptr<dashboard::Dashboard> dashboard;
  std::unique_ptr<http::EventLoops> loops;  // before the servers, which use them
  std::unique_ptr<http::Server> server;
  std::unique_ptr<http::Server> console;    // --console-listen
  std::unique_ptr<http::Server> metrics;    // --metrics-listen
  std::chrono::seconds shutdown_grace{30};  // --shutdown-grace-seconds
  std::string host;                         // as --listen gave it
  std::string console_host;                 // as --console-listen gave it
  std::string console_listen;               // HOST:PORT of the console listener, for messages
  bool console_by_default = false;          // no --console-listen: a taken port means no console
  unsigned short port = 0;
  std::vector<std::thread> runners;  // the thread that runs an InProcessServer's event loops
};

namespace {

// What every listener shares: the I/O timeout and the connection cap.
http::ServerOptions ListenerOptions(const ServeOptions& options) {
  http::ServerOptions out;
  out.io_timeout = std::chrono::seconds(std::max(1u, options.io_timeout_seconds));
  out.max_connections =
      options.max_connections ? options.max_connections : http::DefaultMaxConnections();
  return out;
}

// A graceful stop, on the primary loop: the listeners stop accepting and close their idle
// connections; requests in flight get `state.shutdown_grace` to finish, each connection closing
// after its own; then whatever is left is closed, and the loops stop once the connections are
// gone (or a second later: a request waiting for the disk ends with the loops).
Awaitable<void> StopGracefully(InProcessServer::State& state) {
  using Clock = std::chrono::steady_clock;
  std::vector<http::Server*> servers;
  for (auto* server : {state.server.get(), state.console.get(), state.metrics.get()}) {
    if (server != nullptr) servers.push_back(server);
  }
  const auto open = [&servers] {
    size_t n = 0;
    for (auto* server : servers) n += server->connections();
    return n;
  };
  boost::asio::steady_timer tick(state.loops->primary());
  const auto wait_until = [&](Clock::time_point deadline) -> Awaitable<void> {
    while (open() > 0 && Clock::now() < deadline) {
      tick.expires_after(std::chrono::milliseconds(20));
      co_await tick.async_wait(boost::asio::use_awaitable);
    }
  };
  for (auto* server : servers) server->Stop();
  co_await wait_until(Clock::now() + std::chrono::milliseconds(50));  // idle ones close at once
  if (const size_t n = open(); n > 0) {
    spdlog::info("stopping: waiting up to {} s for {} connection(s) to finish",
                 state.shutdown_grace.count(), n);
  }
  co_await wait_until(Clock::now() + state.shutdown_grace);
  if (const size_t n = open(); n > 0) {
    spdlog::warn("stopping: closing {} connection(s) still busy after {} s", n,
                 state.shutdown_grace.count());
    for (auto* server : servers) server->CloseAll();
    co_await wait_until(Clock::now() + std::chrono::seconds(1));
  }
  state.loops->Stop();
}

// The access keys, their secrets opened with the master key. Last-use times are written on the
// worker pool (made later, and gone only after the ring).
Status OpenKeyRing(InProcessServer::State& state) {
  auto master = LoadOrCreateMasterKey(*state.dir);
  if (!master.ok()) return Failed(std::string(master.error().Message()));
  auto defer = [&state](std::function<void()> work) {
    boost::asio::post(*state.pool, std::move(work));
  };
  state.keys = std::make_unique<keys::KeyRing>(
      *state.meta, *master,
      keys::BuiltinKey{state.admin.access_key_id, state.admin.secret_access_key}, defer);
  if (Status s = state.keys->Load(); !s.ok()) {
    return Failed("access keys: " + std::string(s.error().Message()));
  }
  return Status::Ok();
}

// The data dir, its stores (with their metrics hooks), the start-up sweep and the admin key (the
// data dir's, or `key` when given).
Status OpenStores(const ServeOptions& options, const std::optional<AdminKey>& key,
                  InProcessServer::State& state) {
  auto dir = DataDir::Open(options.data_dir);
  if (!dir.ok()) return Failed(std::string(dir.error().Message()));
  state.dir = std::move(*dir);
  auto observability = Observability::Create(options.access_log);
  if (!observability.ok()) return Failed(std::string(observability.error().Message()));
  state.observability = std::move(*observability);
  auto meta_url = ParseMetaEngineUrl(options.meta_url, state.dir->MetaPath());
  if (!meta_url.ok()) return Failed(std::string(meta_url.error().Message()));
  auto blob_url = ParseBlobEngineUrl(options.blob_url, state.dir->path());
  if (!blob_url.ok()) return Failed(std::string(blob_url.error().Message()));
  state.shared_meta = meta_url->engine == MetaEngine::kPostgres;
  auto postgres = PostgresOptionsFor(options, state.shared_meta);
  if (!postgres.ok()) return postgres.error();
  auto meta = OpenMetaEngine(*meta_url, *postgres);
  if (!meta.ok()) return Failed("metadata store: " + std::string(meta.error().Message()));
  state.engine = std::move(*meta);
  meta::MetaStore* engine = state.engine.get();
  if (options.enable_test_hooks) {
    // Innermost, so that the metrics and the object cache see an injected failure as they would
    // see the engine's own. Without test hooks the wrapper is not in the chain at all.
    state.faults = std::make_unique<FaultPlan>();
    state.faulty = std::make_unique<meta::FaultMetaStore>(*engine, *state.faults);
    engine = state.faulty.get();
  }
  state.timed =
      std::make_unique<meta::TimedMetaStore>(*engine, state.observability->MetadataHook());
  state.meta = state.timed.get();
  if (options.object_cache_mib > 0 && !state.shared_meta) {
    state.object_cache = std::make_unique<meta::ObjectCache>(options.object_cache_mib << 20);
    state.caching = std::make_unique<meta::CachingMetaStore>(*state.timed, *state.object_cache);
    state.meta = state.caching.get();
  }
  auto blobs = OpenBlobEngine(*blob_url, state.observability->FsyncHook());
  if (!blobs.ok()) return Failed("blob store: " + std::string(blobs.error().Message()));
  state.blobs = std::move(*blobs);
  if (state.faults) {
    // As for the metadata engine: the blob engine is behind the fault wrapper only with test
    // hooks. The wrapper keeps the engine's files, so GET stays zero-copy behind it.
    state.blobs = std::make_unique<blob::FaultBlobStore>(std::move(state.blobs), *state.faults);
  }
  if (blob::LocalDisk* disk = state.blobs->local_disk()) {
    // Measured again on the worker pool (made later), never on an event loop.
    state.free_space = std::make_unique<blob::FreeSpaceGauge>(
        *disk,
        [&state](std::function<void()> work) { boost::asio::post(*state.pool, std::move(work)); });
    state.observability->WatchDisk(*state.free_space);
  }
  // On a shared metadata engine a blob another gateway has just written but not yet committed
  // looks orphaned, and so does its write in progress: only a store that knows its blobs' ages
  // (RADOS) is swept then, of what is older than the grace; a file:// store that gateways share
  // (a network file system) is not swept at all.
  if (!state.shared_meta || state.blobs->shared()) {
    auto swept = SweepAfterCrash(*state.engine, *state.blobs);
    if (!swept.ok()) return Failed("start-up sweep: " + std::string(swept.error().Message()));
    if (swept->orphan_blobs_removed > 0) {
      spdlog::info("removed {} orphaned blob(s) left by an earlier crash",
                   swept->orphan_blobs_removed);
    }
    if (swept->young_orphans_kept > 0) {
      spdlog::info(
          "kept {} unreferenced blob(s) younger than {} h: another gateway may be about "
          "to reference them",
          swept->young_orphans_kept,
          std::chrono::duration_cast<std::chrono::hours>(kSharedStoreGrace).count());
    }
  }
  if (key) {
    state.admin = *key;
  } else {
    auto loaded = LoadOrCreateAdminKey(*state.dir);
    if (!loaded.ok()) return Failed(std::string(loaded.error().Message()));
    state.admin = *loaded;
  }
  return OpenKeyRing(state);
}

Result<std::shared_ptr<boost::asio::ssl::context>> LoadTls(const ServeOptions& options) {
  if (options.tls_cert.empty()) return std::shared_ptr<boost::asio::ssl::context>();
  auto tls = std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server);
  try {
    tls->set_options(boost::asio::ssl::context::default_workarounds |
                     boost::asio::ssl::context::no_sslv2 | boost::asio::ssl::context::no_sslv3 |
                     boost::asio::ssl::context::no_tlsv1 | boost::asio::ssl::context::no_tlsv1_1);
    tls->use_certificate_chain_file(options.tls_cert);
    tls->use_private_key_file(options.tls_key, boost::asio::ssl::context::pem);
  } catch (const std::exception& e) {
    return Failed(std::string("TLS certificate or key: ") + e.what());
  }
  return tls;
}

// The S3 services, the lifecycle worker and its test hooks.
void MakeServices(const ServeOptions& options, InProcessServer::State& state) {
  state.pool = std::make_unique<boost::asio::thread_pool>(options.worker_threads);
  state.lookups =
      std::make_unique<boost::asio::thread_pool>(std::max(1u, std::thread::hardware_concurrency()));
  boost::asio::thread_pool& pool = *state.pool;
  // Other gateways' readers and copies are invisible here: they get the grace instead.
  const std::chrono::seconds reclaim_grace(state.shared_meta ? options.reclaim_grace_seconds : 0);
  state.reclaimer = std::make_unique<core::BlobReclaimer>(
      *state.meta, *state.blobs,
      [&pool](std::function<void()> work) { boost::asio::post(pool, std::move(work)); },
      reclaim_grace);
  state.storage = std::make_unique<core::Storage>(
      core::Storage{*state.meta, *state.blobs, *state.reclaimer, *state.pool, *state.lookups,
                    core::StorageLimits{.free_space_reserve = options.free_space_reserve_mib << 20,
                                        .region = options.region},
                    state.free_space.get(), state.object_cache.get()});
  const AdminKey admin = state.admin;
  state.services = std::make_unique<s3::Services>(s3::Services{
      *state.storage,
      state.keys->AsLookup(),
      s3::ServerConfig{},
      s3::Owner{HexEncode(Sha256(admin.access_key_id)), "cairn"},
  });
  s3::Services& services = *state.services;
  services.config.base_domain = options.base_domain;
  state.observability->WatchBuckets(*state.meta, *state.lookups);
  services.observability = state.observability->PipelineHooks();
  services.keys = state.keys.get();
  services.signature_failures = std::make_shared<auth::FailureLimiter>(
      auth::FailureLimits{.max_failures = options.auth_failure_limit});

  if (state.shared_meta) state.key_refresher = std::make_unique<KeyRefresher>(*state.keys, pool);
  state.sweeper = std::make_unique<core::LifecycleSweeper>(*state.meta, *state.reclaimer);
  state.lifecycle = std::make_unique<LifecycleWorker>(*state.sweeper, *state.pool,
                                                      state.observability->SweepHook());
  LifecycleWorker* lifecycle = state.lifecycle.get();
  state.test_hooks = s3::TestHooks{
      [lifecycle](std::chrono::seconds by) { lifecycle->AdvanceClock(by); },
      [lifecycle] { return lifecycle->SweepNow(); }, admin.access_key_id, state.faults.get()};
  if (options.enable_test_hooks) services.test_hooks = &state.test_hooks;
}

// Where the console listens: --console-listen, none for "off", or by default --listen's host with
// the next port (port 0, any free port, stays 0).
struct ConsoleListen {
  std::optional<http::ServerOptions> address;
  std::string listen;  // as HOST:PORT, for messages
};

Result<ConsoleListen> ConsoleAddress(const ServeOptions& options,
                                     const http::ServerOptions& s3_address) {
  if (options.console_listen == "off") return ConsoleListen{};
  http::ServerOptions address = s3_address;
  if (options.console_listen.empty()) {
    address.port = s3_address.port == 0 || s3_address.port == 65535 ? 0 : s3_address.port + 1;
    const bool v6 = address.host.find(':') != std::string::npos;
    return ConsoleListen{address, (v6 ? "[" + address.host + "]" : address.host) + ":" +
                                      std::to_string(address.port)};
  }
  if (!SplitHostPort(options.console_listen, address.host, address.port)) {
    return Failed("--console-listen wants HOST:PORT or off, got '" + options.console_listen + "'");
  }
  return ConsoleListen{address, options.console_listen};
}

// Everything before listening: the stores, TLS, the services, and the HTTP servers (not started).
// The error messages are the ones `cairn serve` prints.
Result<std::unique_ptr<InProcessServer::State>> Build(const ServeOptions& options,
                                                      const std::optional<AdminKey>& key) {
  http::ServerOptions server_options = ListenerOptions(options);
  if (!SplitHostPort(options.listen, server_options.host, server_options.port)) {
    return Failed("--listen wants HOST:PORT, got '" + options.listen + "'");
  }
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return Failed("--tls-cert and --tls-key go together");
  }
  auto console = ConsoleAddress(options, server_options);
  if (!console.ok()) return console.error();
  const std::optional<http::ServerOptions>& console_options = console->address;
  dashboard::ConsoleOrigins origins;  // the public URLs, as origins
  for (const auto& [flag, url, origin] :
       {std::tuple{"--public-url", &options.public_url, &origins.s3_public_url},
        std::tuple{"--console-public-url", &options.console_public_url,
                   &origins.console_public_url}}) {
    if (url->empty()) continue;
    std::optional<std::string> parsed = core::ParseOrigin(*url);
    if (!parsed) {
      return Failed(std::string(flag) + " wants an origin like https://s3.example.com (no path), " +
                    "got '" + *url + "'");
    }
    *origin = std::move(*parsed);
  }
  http::ServerOptions metrics_options = ListenerOptions(options);
  if (!options.metrics_listen.empty() &&
      !SplitHostPort(options.metrics_listen, metrics_options.host, metrics_options.port)) {
    return Failed("--metrics-listen wants HOST:PORT, got '" + options.metrics_listen + "'");
  }
  auto state = std::make_unique<InProcessServer::State>();
  state->shutdown_grace = std::chrono::seconds(options.shutdown_grace_seconds);
  state->loops = std::make_unique<http::EventLoops>(
      options.io_threads ? options.io_threads : std::thread::hardware_concurrency());
  state->host = server_options.host;
  if (console_options) {
    state->console_host = console_options->host;
    state->console_listen = console->listen;
    state->console_by_default = options.console_listen.empty();
  }
  if (Status s = OpenStores(options, key, *state); !s.ok()) return s.error();
  auto tls = LoadTls(options);
  if (!tls.ok()) return tls.error();
  server_options.tls = *tls;
  MakeServices(options, *state);

  s3::Services& services = *state->services;
  Observability& observability = *state->observability;
  // The S3 listener serves the S3 API only: no dashboard path, so that no page stored as an object
  // shares an origin with the dashboard's API (dashboard/origins.h).
  auto handler = [&services, &observability](http::Exchange& ex) {
    observability.RequestStarted();
    return s3::HandleRequest(services, ex);
  };
  state->server = std::make_unique<http::Server>(*state->loops, server_options, handler);
  if (console_options) {
    services.config.console_origin = origins.console_public_url;
    dashboard::DashboardOptions dashboard_options{.credentials = services.credentials};
    dashboard_options.origins = origins;
    dashboard_options.sign_in_limits.max_failures = options.auth_failure_limit;
    state->dashboard = std::make_unique<dashboard::Dashboard>(std::move(dashboard_options));
    http::ServerOptions with_tls = *console_options;
    with_tls.tls = *tls;
    state->console = std::make_unique<http::Server>(
        *state->loops, with_tls,
        [&dashboard = *state->dashboard](http::Exchange& ex) { return dashboard.Serve(ex); });
  }
  if (!options.metrics_listen.empty()) {
    state->metrics = std::make_unique<http::Server>(*state->loops, metrics_options,
                                                    observability.MetricsEndpoint());
  }
  return state;
}

// Lines to paste into a shell or a Python prompt to reach this server with the AWS CLI or boto3.
// A secret that came from the environment is named, not printed.
void PrintClientLines(const std::string& endpoint, const std::string& region,
                      const AdminKey& admin) {
  const bool from_environment = admin.source == AdminKey::Source::kEnvironment;
  const std::string shell_secret =
      from_environment ? "\"$CAIRN_SECRET_ACCESS_KEY\"" : "'" + admin.secret_access_key + "'";
  const std::string python_secret = from_environment ? "os.environ['CAIRN_SECRET_ACCESS_KEY']"
                                                     : "'" + admin.secret_access_key + "'";
  std::printf(
      "AWS CLI:  AWS_ACCESS_KEY_ID='%s' AWS_SECRET_ACCESS_KEY=%s AWS_DEFAULT_REGION=%s "
      "aws --endpoint-url %s s3 ls\n",
      admin.access_key_id.c_str(), shell_secret.c_str(), region.c_str(), endpoint.c_str());
  std::printf(
      "boto3:    boto3.client('s3', endpoint_url='%s', region_name='%s', "
      "aws_access_key_id='%s', aws_secret_access_key=%s)\n",
      endpoint.c_str(), region.c_str(), admin.access_key_id.c_str(), python_secret.c_str());
}

// With a reclaim grace, released blobs become due as time passes, not only as readers end.
void RemoveReleasedBlobsWhenDue(boost::asio::io_context& io, core::BlobReclaimer& reclaimer) {
  Every(io, std::chrono::seconds(5), [&reclaimer]() -> Awaitable<void> {
    reclaimer.RemoveDue();  // schedules the deletions on the worker pool
    co_return;
  });
}

}  // namespace

int RunServe(const ServeOptions& options) {
  // Whatever the server creates (data dir, SQLite's side files, the access log) is the owner's
  // alone, beyond the explicit modes of the stores. Only here: `--local` commands run a server in
  // the CLI's own process, whose downloads must keep the user's umask.
  ::umask(077);
  auto built = Build(options, std::nullopt);
  if (!built.ok()) return Fail(std::string(built.error().Message()));
  InProcessServer::State& state = **built;
  const AdminKey& admin = state.admin;
  http::EventLoops& loops = *state.loops;
  boost::asio::io_context& io = loops.primary();
  http::Server& server = *state.server;

  state.lifecycle->Start(io,
                         std::chrono::seconds(std::max(1u, options.lifecycle_interval_seconds)));
  // A key created, rotated or revoked on another gateway is honoured here within this interval
  // (and the time of one reload).
  if (state.key_refresher) state.key_refresher->Start(io, std::chrono::milliseconds(250));
  if (state.shared_meta) RemoveReleasedBlobsWhenDue(io, *state.reclaimer);
  unsigned short port = 0;
  try {
    port = server.Start();
  } catch (const std::exception& e) {
    return Fail("cannot listen on " + options.listen + ": " + e.what());
  }
  unsigned short console_port = 0;
  try {
    if (state.console) console_port = state.console->Start();
  } catch (const std::exception& e) {
    if (!state.console_by_default) {
      return Fail("cannot listen on --console-listen " + state.console_listen + ": " + e.what());
    }
    std::fprintf(stderr,
                 "cairn: no dashboard: its default address %s is taken (%s); --console-listen "
                 "HOST:PORT picks another\n",
                 state.console_listen.c_str(), e.what());
    state.console.reset();
  }
  if (state.console) {
    state.dashboard->SetS3Port(port);
    state.services->config.console_port = console_port;  // the S3 API's CORS grant (s3/context.h)
  } else {
    state.services->config.console_origin.clear();
  }
  unsigned short metrics_port = 0;
  try {
    if (state.metrics) metrics_port = state.metrics->Start();
  } catch (const std::exception& e) {
    return Fail("cannot listen on " + options.metrics_listen + ": " + e.what());
  }
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    spdlog::info("stopping: no new connections");
    boost::asio::co_spawn(io, StopGracefully(state), boost::asio::detached);
    // A second signal: the operator does not want to wait.
    signals.async_wait([](const boost::system::error_code& ec, int signal_number) {
      if (ec) return;
      static constexpr char kNow[] = "cairn: second signal, exiting now\n";
      (void)::write(STDERR_FILENO, kNow, sizeof kNow - 1);
      ::_exit(128 + signal_number);
    });
  });

  const std::string scheme = !options.tls_cert.empty() ? "https" : "http";
  std::printf("%s\n", VersionLine().c_str());
  std::printf("cairn is serving S3 at %s://%s:%u (region %s)\n", scheme.c_str(), state.host.c_str(),
              port, options.region.c_str());
  if (state.console) {
    std::printf("dashboard:      %s://%s:%u%s\n", scheme.c_str(), state.console_host.c_str(),
                console_port, std::string(dashboard::kUiPath).c_str());
  } else {
    std::printf("dashboard:      none (%s)\n", options.console_listen == "off"
                                                   ? "--console-listen off"
                                                   : "its default port is taken");
  }
  if (state.metrics) {
    const std::string metrics_host =
        options.metrics_listen.substr(0, options.metrics_listen.rfind(':'));
    std::printf("metrics:        http://%s:%u/metrics\n", metrics_host.c_str(), metrics_port);
  }
  std::printf("data directory: %s\n", state.dir->path().c_str());
  std::printf("access key id:     %s\n", admin.access_key_id.c_str());
  if (admin.source == AdminKey::Source::kEnvironment) {
    std::printf("secret access key: (from CAIRN_SECRET_ACCESS_KEY)\n");
  } else {
    std::printf("secret access key: %s\n", admin.secret_access_key.c_str());
    std::printf("(stored in %s)\n", state.dir->CredentialsPath().c_str());
  }
  PrintClientLines(scheme + "://" + state.host + ":" + std::to_string(port), options.region, admin);
  std::fflush(stdout);

  loops.Run();
  state.pool->join();
  state.lookups->join();
  return 0;
}

Result<std::unique_ptr<InProcessServer>> InProcessServer::Start(const ServeOptions& options,
                                                                const AdminKey& key) {
  ServeOptions plain = options;
  plain.tls_cert.clear();
  plain.tls_key.clear();
  plain.enable_test_hooks = false;
  plain.console_listen = "off";  // a command's own server has no dashboard
  plain.io_threads = 1;          // one event loop is plenty for one command's requests
  auto built = Build(plain, key);
  if (!built.ok()) return built.error();
  std::unique_ptr<State> state = std::move(*built);
  try {
    state->port = state->server->Start();
  } catch (const std::exception& e) {
    return Error(ErrorCode::kInternalError, "cannot listen on " + options.listen + ": " + e.what());
  }
  State* s = state.get();
  s->runners.emplace_back([s] { s->loops->Run(); });
  return std::unique_ptr<InProcessServer>(new InProcessServer(std::move(state)));
}

InProcessServer::InProcessServer(std::unique_ptr<State> state) : state_(std::move(state)) {}

InProcessServer::~InProcessServer() {
  boost::asio::co_spawn(state_->loops->primary(), StopGracefully(*state_), boost::asio::detached);
  for (auto& t : state_->runners) t.join();
  state_->pool->join();
  state_->lookups->join();
}

unsigned short InProcessServer::port() const { return state_->port; }

}  // namespace cairn::app
