// What every S3 handler works with: the services (the core services' storage, the credentials,
// configuration) and the request being served (its exchange, route, query, authentication and
// request id). The stores themselves stay behind core::Storage: a handler calls a core service.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "auth/failure_limiter.h"
#include "auth/request_auth.h"
#include "common/fault_plan.h"
#include "common/offload.h"
#include "core/cors.h"
#include "core/lifecycle_sweeper.h"
#include "core/storage.h"
#include "http/exchange.h"
#include "keys/key_ring.h"
#include "s3/router.h"
#include "s3/xml.h"

namespace cairn::s3 {

struct ServerConfig {
  std::string base_domain = "localhost";  // virtual-hosted style: <bucket>.<base_domain>
  uint64_t max_object_size = 5ull << 30;  // single PUT: 5 GiB, as S3 and R2
  // cairn's console, which every bucket lets in without a CORS rule (s3/cors_response.h): its
  // public origin when configured, else the request's host name with console_port (0: none).
  std::string console_origin;
  uint16_t console_port = 0;
};

// Hooks that only tests use (`serve --enable-test-hooks`): move the lifecycle clock forward and run
// a lifecycle sweep now, so the 7-day default and every rule are tested without waiting; arm
// storage faults (common/fault_plan.h) that the engines' fault wrappers inject.
// Only requests signed by the admin key may call them (s3/test_hooks.h).
struct TestHooks {
  std::function<void(std::chrono::seconds)> advance_clock;
  std::function<Result<core::SweepReport>()> sweep_now;  // blocking
  std::string admin_access_key_id;
  FaultPlan* faults = nullptr;  // what the storage engines' fault wrappers consult
};

// One finished request, as the metrics and the access log see it.
struct RequestRecord {
  std::string_view request_id;
  std::string_view operation;  // the AWS name ("PutObject"), or "Health", "GetMetrics", ...
  std::string_view bucket;
  std::string_view key;
  std::string_view remote_address;
  std::string_view access_key_id;  // the key whose signature the request carried; empty for none
  std::string_view parent_access_key_id;  // a temporary credential's parent; empty for other keys
  int status = 0;                         // 0: the connection broke before a response
  uint64_t bytes_received = 0;
  uint64_t bytes_sent = 0;
  std::chrono::nanoseconds duration{0};
};

// What the server tells about itself, when configured: each finished request, and the metrics
// page that GET /_cairn/metrics answers (Prometheus' text format).
struct Observability {
  std::function<void(const RequestRecord&)> on_request;
  std::function<std::string()> render_metrics;
};

struct Services {
  core::Storage& storage;              // what the core services work on
  auth::CredentialLookup credentials;  // every request's signer: the key ring's Lookup
  ServerConfig config{};
  Owner owner;
  TestHooks* test_hooks = nullptr;  // null unless enabled
  Observability observability{};
  // SigV4 failures per claimed access key id: beyond the limit they are answered SlowDown.
  std::shared_ptr<auth::FailureLimiter> signature_failures =
      std::make_shared<auth::FailureLimiter>();
  // The access keys, for the admin API (s3/admin_api.h); null: no admin API.
  keys::KeyRing* keys = nullptr;
};

struct RequestContext {
  http::Exchange& exchange;
  Services& services;
  std::string request_id;
  Route route;
  QueryParams query;
  auth::AuthContext auth;
  std::optional<core::CorsHeaders> cors;  // the request's matching CORS rule (Origin requests)

  const http::RequestHead& head() const { return exchange.request(); }
  std::optional<std::string_view> Header(std::string_view lowercase_name) const {
    return exchange.request().Header(lowercase_name);
  }
  // A request header, or for presigned URLs the same name hoisted into the query string
  // (presigners put x-amz-checksum-*, x-amz-sdk-checksum-algorithm, ... there).
  std::optional<std::string_view> SignedValue(std::string_view lowercase_name) const;

  // Runs blocking work that is not storage's (key management) on the worker pool.
  template <typename F>
  auto Blocking(F work) {
    return services.storage.Blocking(std::move(work));
  }
};

}  // namespace cairn::s3
