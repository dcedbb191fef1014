// What `GET /_cairn/metrics` shows, in Prometheus' text format (prometheus-cpp keeps the numbers
// and writes the format): requests by operation and status, requests by the access key that signed
// them, their latency and bytes, requests in flight, fsync and metadata-store latency, the
// lifecycle sweeper's work, free disk space, and each bucket's object count and bytes. Every method
// is thread-safe; recording costs a few hundred nanoseconds.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

struct BucketFigures {
  std::string bucket;
  uint64_t objects = 0;
  uint64_t bytes = 0;
};
// Every bucket's figures now; nullopt when they cannot be read (the page keeps the last ones).
using BucketFiguresSource = std::function<std::optional<std::vector<BucketFigures>>()>;

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
  // Where Render reads the buckets' figures. Not thread-safe against Render: set it at start-up.
  void WatchBuckets(BucketFiguresSource source) { bucket_figures_ = std::move(source); }

  // Blocking when buckets are watched (the source reads the metadata store): call it off the
  // event loop.
  std::string Render();

 private:
  struct BucketGauges {
    prometheus::Gauge* objects;
    prometheus::Gauge* bytes;
  };
  void UpdateBucketGauges(const std::vector<BucketFigures>& figures);

  std::shared_ptr<prometheus::Registry> registry_;
  std::function<std::optional<uint64_t>()> disk_free_;
  BucketFiguresSource bucket_figures_;
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
  prometheus::Family<prometheus::Gauge>& bucket_objects_;
  prometheus::Family<prometheus::Gauge>& bucket_bytes_;
  std::mutex buckets_mu_;
  std::map<std::string, BucketGauges> bucket_gauges_;  // guarded by buckets_mu_
};

}  // namespace cairn::metrics
