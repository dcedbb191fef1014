// What `GET /_cairn/metrics` shows, in Prometheus' text format (prometheus-cpp keeps the numbers
// and writes the format): requests by operation and status, requests by the access key that signed
// them, their latency and bytes, requests in flight, fsync and metadata-store latency, the
// lifecycle sweeper's work, and free disk space. Every method is thread-safe; recording costs a few
// hundred nanoseconds.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace prometheus {
class Registry;
class Counter;
class Gauge;
class Histogram;
template <typename T>
class Family;
}  // namespace prometheus

namespace cairn::metrics {

using Seconds = std::chrono::duration<double>;

class ServerMetrics {
 public:
  // `disk_free` is asked for the free bytes each time the metrics are rendered.
  explicit ServerMetrics(std::function<std::optional<uint64_t>()> disk_free = {});
  ~ServerMetrics();
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  void RequestStarted();
  // `operation` is the AWS name ("PutObject"), or what the server answered instead ("Health").
  // `access_key_id` is the key whose signature the request carried and the server verified (never
  // a secret; for a temporary credential, its parent), empty for an unsigned or unauthenticated
  // request; it is counted under the label access_key_id="" then, which no key can have (PromQL:
  // {access_key_id=""}). Only verified ids of lasting keys become labels, so that neither made-up
  // ids nor a stream of temporary credentials can grow the page without bound.
  void RequestFinished(std::string_view operation, int status, Seconds took, uint64_t bytes_in,
                       uint64_t bytes_out, std::string_view access_key_id);
  // kind: "file" or "directory".
  void ObserveFsync(std::string_view kind, Seconds took);
  // call: the MetaStore method ("GetObject").
  void ObserveMetadata(std::string_view call, Seconds took);
  void ObserveSweep(Seconds took, uint64_t aborted_uploads, uint64_t expired_objects,
                    uint64_t transitioned_objects);

  std::string Render();

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  std::function<std::optional<uint64_t>()> disk_free_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Counter>& key_requests_;
  prometheus::Family<prometheus::Histogram>& request_seconds_;
  prometheus::Counter& bytes_in_;
  prometheus::Counter& bytes_out_;
  prometheus::Gauge& in_flight_;
  prometheus::Family<prometheus::Histogram>& fsync_seconds_;
  prometheus::Family<prometheus::Histogram>& metadata_seconds_;
  prometheus::Histogram& sweep_seconds_;
  prometheus::Counter& aborted_uploads_;
  prometheus::Counter& expired_objects_;
  prometheus::Counter& transitioned_objects_;
  prometheus::Gauge& disk_free_bytes_;
};

}  // namespace cairn::metrics
