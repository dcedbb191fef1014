// cairn: an S3-compatible object store in one binary. `cairn serve` runs the server; `object`,
// `bulk`, `bucket` and `presign` are the command line of src/cli/.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "app/migrate.h"
#include "app/serve.h"
#include "cli/commands.h"
#include "version/version.h"

int main(int argc, char** argv) {
  CLI::App app{"cairn: a self-hosted, S3-compatible object store"};
  app.require_subcommand(1);
  app.set_version_flag("--version", cairn::VersionLine(),
                       "Print the version and commit, then exit");
  CLI::App* version_cmd = app.add_subcommand("version", "Print the version and commit");

  cairn::app::ServeOptions serve;
  CLI::App* serve_cmd = app.add_subcommand("serve", "Run the S3 server");
  serve_cmd->add_option("--listen", serve.listen, "HOST:PORT to listen on")->capture_default_str();
  serve_cmd->add_option("--console-listen", serve.console_listen,
                        "Serve the dashboard on this HOST:PORT, an origin apart from the S3 API's "
                        "(default: --listen's host and port + 1, skipped if taken; off: none)");
  serve_cmd->add_option(
      "--public-url", serve.public_url,
      "The S3 API's origin as browsers reach it, e.g. https://s3.example.com "
      "(behind a reverse proxy; default: the console's host name, --listen's port)");
  serve_cmd->add_option("--console-public-url", serve.console_public_url,
                        "The dashboard's origin as browsers reach it, e.g. "
                        "https://console.example.com (behind a reverse proxy)");
  serve_cmd->add_option(
      "--metrics-listen", serve.metrics_listen,
      "Serve Prometheus metrics without credentials on this HOST:PORT (GET /metrics)");
  serve_cmd->add_option("--access-log", serve.access_log,
                        "Write one JSON line per request to this file (- for standard output)");
  serve_cmd->add_option("--data-dir", serve.data_dir, "Where objects and metadata live")
      ->capture_default_str();
  serve_cmd->add_option("--meta", serve.meta_url,
                        "Metadata engine: sqlite:///path/meta.sqlite3 (default: in --data-dir) or "
                        "postgres://user@host:port/db (any libpq connection URI)");
  serve_cmd
      ->add_option("--meta-pool", serve.meta_pool,
                   "postgres:// only: connections this gateway opens to PostgreSQL (default: "
                   "--worker-threads); a request that waits longer than --meta-timeout for one "
                   "is answered 503 SlowDown")
      ->check(CLI::Range(1u, 1000u));
  serve_cmd
      ->add_option("--meta-timeout", serve.meta_timeout_seconds,
                   "postgres:// only: seconds a statement may run or wait for a lock before "
                   "the request is answered 503 SlowDown (default: 30)")
      ->check(CLI::Range(1u, 3600u));
  serve_cmd
      ->add_option("--reclaim-grace", serve.reclaim_grace_seconds,
                   "postgres:// only: seconds a blob released by an overwrite or a delete is "
                   "kept before it is deleted, for downloads and copies on other gateways")
      ->check(CLI::Range(0u, 7u * 24 * 3600))
      ->capture_default_str();
  serve_cmd->add_option("--blob", serve.blob_url,
                        "Blob engine: file:///path (default: --data-dir), "
                        "rados://POOL?conf=/etc/ceph/ceph.conf[&user=NAME][&stripe=BYTES] (a Ceph "
                        "pool gateways share) or mem:// (tests and benchmarks: objects vanish with "
                        "the process)");
  serve_cmd->add_option("--tls-cert", serve.tls_cert, "PEM certificate chain: serve HTTPS");
  serve_cmd->add_option("--tls-key", serve.tls_key, "PEM private key for --tls-cert");
  serve_cmd
      ->add_option("--base-domain", serve.base_domain,
                   "Virtual-hosted-style addressing: BUCKET.<base-domain>")
      ->capture_default_str();
  serve_cmd->add_option("--region", serve.region, "Region reported to clients")
      ->capture_default_str();
  serve_cmd
      ->add_option("--free-space-reserve-mib", serve.free_space_reserve_mib,
                   "Refuse uploads that would leave less free disk space (MiB)")
      ->capture_default_str();
  serve_cmd->add_option("--io-threads", serve.io_threads, "Event-loop threads (0: one per core)");
  serve_cmd
      ->add_option("--worker-threads", serve.worker_threads, "Threads for disk and metadata work")
      ->capture_default_str();
  serve_cmd
      ->add_option("--object-cache-mib", serve.object_cache_mib,
                   "Memory for the records and small objects of hot keys (0: no cache; always "
                   "none with postgres://, which other gateways write too)")
      ->capture_default_str();

  serve_cmd
      ->add_option("--auth-failure-limit", serve.auth_failure_limit,
                   "Authentication failures per minute allowed per access key id (S3 API: then "
                   "503 SlowDown) and per key id or client address (dashboard sign-in: then 429)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve_cmd
      ->add_option("--lifecycle-interval-seconds", serve.lifecycle_interval_seconds,
                   "How often lifecycle rules and the 7-day multipart abort are applied")
      ->capture_default_str();
  serve_cmd
      ->add_option("--io-timeout-seconds", serve.io_timeout_seconds,
                   "Close a connection when a read, a write or a wait for the client makes "
                   "no progress for this long")
      ->capture_default_str()
      ->check(CLI::Range(1u, 86400u));
  serve_cmd
      ->add_option("--max-connections", serve.max_connections,
                   "Connections served at once per listener; more are answered 503 SlowDown "
                   "and closed (0: (open-file limit - 64) / 2, at least 16)")
      ->capture_default_str();
  serve_cmd
      ->add_option("--shutdown-grace-seconds", serve.shutdown_grace_seconds,
                   "On SIGTERM/SIGINT, how long requests in flight may finish before they "
                   "are cut (a second signal exits at once)")
      ->capture_default_str();
  // Hidden (empty group): lets tests move the lifecycle clock and trigger sweeps.
  serve_cmd->add_flag("--enable-test-hooks", serve.enable_test_hooks)->group("");

  std::string migrate_meta;
  CLI::App* migrate_cmd = app.add_subcommand(
      "migrate",
      "Bring a metadata store's schema to this cairn's version and print from/to versions. "
      "Additive steps only: gateways of the previous version may keep running meanwhile "
      "(serve also migrates at start; a gateway refuses a schema newer than it knows)");
  migrate_cmd
      ->add_option("--meta", migrate_meta,
                   "The metadata store: sqlite:///path/meta.sqlite3 or postgres://user@host/db")
      ->required();

  cairn::cli::Commands commands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cairn::cli::ExitForParseError(app, e);  // usage errors exit with 2
  }
  if (serve_cmd->parsed()) return cairn::app::RunServe(serve);
  if (migrate_cmd->parsed()) return cairn::app::RunMigrate(migrate_meta);
  if (version_cmd->parsed()) {
    std::printf("%s\n", cairn::VersionLine().c_str());
    return 0;
  }
  return commands.Run();
}
