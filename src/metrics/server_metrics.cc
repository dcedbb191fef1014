#include "metrics/server_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace cairn::metrics {
namespace {

using prometheus::Histogram;

// Request latency from half a millisecond (a small GET) to a minute (a 5 GiB part).
const Histogram::BucketBoundaries kRequestBuckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
// Disk and SQLite calls: tens of microseconds to a second.
const Histogram::BucketBoundaries kStorageBuckets = {
    0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};
const Histogram::BucketBoundaries kSweepBuckets = {0.001, 0.01, 0.1, 1, 10, 60, 600};

}  // namespace

ServerMetrics::ServerMetrics(std::function<std::optional<uint64_t>()> disk_free)
    : registry_(std::make_shared<prometheus::Registry>()),
      disk_free_(std::move(disk_free)),
      requests_(prometheus::BuildCounter()
                    .Name("cairn_requests_total")
                    .Help("S3 requests answered, by operation and HTTP status")
                    .Register(*registry_)),
      key_requests_(prometheus::BuildCounter()
                        .Name("cairn_access_key_requests_total")
                        .Help("S3 requests answered, by the access key id that signed them (empty: "
                              "unsigned or not authenticated)")
                        .Register(*registry_)),
      request_seconds_(
          prometheus::BuildHistogram()
              .Name("cairn_request_duration_seconds")
              .Help("Time from the request head to the end of the response, by operation")
              .Register(*registry_)),
      bytes_in_(prometheus::BuildCounter()
                    .Name("cairn_received_bytes_total")
                    .Help("Request body bytes received")
                    .Register(*registry_)
                    .Add({})),
      bytes_out_(prometheus::BuildCounter()
                     .Name("cairn_sent_bytes_total")
                     .Help("Response bytes sent, heads included")
                     .Register(*registry_)
                     .Add({})),
      in_flight_(prometheus::BuildGauge()
                     .Name("cairn_requests_in_flight")
                     .Help("Requests being served now")
                     .Register(*registry_)
                     .Add({})),
      fsync_seconds_(prometheus::BuildHistogram()
                         .Name("cairn_fsync_duration_seconds")
                         .Help("fsync(2) of blob files and directories")
                         .Register(*registry_)),
      metadata_seconds_(prometheus::BuildHistogram()
                            .Name("cairn_metadata_duration_seconds")
                            .Help("Metadata store calls, by call")
                            .Register(*registry_)),
      sweep_seconds_(prometheus::BuildHistogram()
                         .Name("cairn_lifecycle_sweep_duration_seconds")
                         .Help("Lifecycle sweeps (rules and the 7-day abort of incomplete uploads)")
                         .Register(*registry_)
                         .Add({}, kSweepBuckets)),
      aborted_uploads_(prometheus::BuildCounter()
                           .Name("cairn_lifecycle_aborted_uploads_total")
                           .Help("Incomplete multipart uploads the lifecycle sweeper aborted")
                           .Register(*registry_)
                           .Add({})),
      expired_objects_(prometheus::BuildCounter()
                           .Name("cairn_lifecycle_expired_objects_total")
                           .Help("Objects the lifecycle sweeper deleted")
                           .Register(*registry_)
                           .Add({})),
      transitioned_objects_(prometheus::BuildCounter()
                                .Name("cairn_lifecycle_transitioned_objects_total")
                                .Help("Objects the lifecycle sweeper moved to STANDARD_IA")
                                .Register(*registry_)
                                .Add({})),
      disk_free_bytes_(prometheus::BuildGauge()
                           .Name("cairn_disk_free_bytes")
                           .Help("Free bytes on the device that holds the blobs")
                           .Register(*registry_)
                           .Add({})),
      bucket_objects_(prometheus::BuildGauge()
                          .Name("cairn_bucket_objects")
                          .Help("Objects in the bucket (uploads in progress not counted)")
                          .Register(*registry_)),
      bucket_bytes_(prometheus::BuildGauge()
                        .Name("cairn_bucket_bytes")
                        .Help("Total size of the bucket's objects")
                        .Register(*registry_)) {}

ServerMetrics::~ServerMetrics() = default;

void ServerMetrics::RequestStarted() { in_flight_.Increment(); }

void ServerMetrics::RequestFinished(std::string_view operation, int status, Seconds took,
                                    uint64_t bytes_in, uint64_t bytes_out,
                                    std::string_view access_key_id) {
  in_flight_.Decrement();
  const std::string op(operation);
  requests_.Add({{"operation", op}, {"status", std::to_string(status)}}).Increment();
  key_requests_.Add({{"access_key_id", std::string(access_key_id)}}).Increment();
  request_seconds_.Add({{"operation", op}}, kRequestBuckets).Observe(took.count());
  bytes_in_.Increment(static_cast<double>(bytes_in));
  bytes_out_.Increment(static_cast<double>(bytes_out));
}

void ServerMetrics::ObserveFsync(std::string_view kind, Seconds took) {
  fsync_seconds_.Add({{"kind", std::string(kind)}}, kStorageBuckets).Observe(took.count());
}

void ServerMetrics::ObserveMetadata(std::string_view call, Seconds took) {
  metadata_seconds_.Add({{"call", std::string(call)}}, kStorageBuckets).Observe(took.count());
}

void ServerMetrics::ObserveSweep(Seconds took, uint64_t aborted_uploads, uint64_t expired_objects,
                                 uint64_t transitioned_objects) {
  sweep_seconds_.Observe(took.count());
  aborted_uploads_.Increment(static_cast<double>(aborted_uploads));
  expired_objects_.Increment(static_cast<double>(expired_objects));
  transitioned_objects_.Increment(static_cast<double>(transitioned_objects));
}

void ServerMetrics::UpdateBucketGauges(const std::vector<BucketFigures>& figures) {
  std::lock_guard lock(buckets_mu_);
  std::map<std::string, BucketGauges> current;
  for (const BucketFigures& f : figures) {
    auto known = bucket_gauges_.extract(f.bucket);
    BucketGauges gauges = known.empty() ? BucketGauges{&bucket_objects_.Add({{"bucket", f.bucket}}),
                                                       &bucket_bytes_.Add({{"bucket", f.bucket}})}
                                        : known.mapped();
    gauges.objects->Set(static_cast<double>(f.objects));
    gauges.bytes->Set(static_cast<double>(f.bytes));
    current.emplace(f.bucket, gauges);
  }
  // What is left was deleted: its series go, rather than stay at their last value.
  for (auto& [bucket, gauges] : bucket_gauges_) {
    bucket_objects_.Remove(gauges.objects);
    bucket_bytes_.Remove(gauges.bytes);
  }
  bucket_gauges_ = std::move(current);
}

std::string ServerMetrics::Render() {
  if (disk_free_) {
    if (std::optional<uint64_t> free = disk_free_())
      disk_free_bytes_.Set(static_cast<double>(*free));
  }
  if (bucket_figures_) {
    if (std::optional<std::vector<BucketFigures>> figures = bucket_figures_()) {
      UpdateBucketGauges(*figures);
    }
  }
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace cairn::metrics
