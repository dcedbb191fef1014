// How the server tells about itself: the Prometheus metrics (GET /_cairn/metrics with the admin
// key, or on --metrics-listen without one) and the access log (--access-log). This is where the
// hooks of the stores, the lifecycle worker and the S3 pipeline are connected to them.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <string>

#include "app/access_log.h"
#include "app/lifecycle_worker.h"
#include "blob/free_space_gauge.h"
#include "blob/fs/fs_blob_store.h"
#include "http/server.h"
#include "meta/timed_meta_store.h"
#include "metrics/server_metrics.h"
#include "s3/context.h"

namespace cairn::app {

class Observability {
 public:
  // `access_log`: a path, "-" for standard output, or empty for no access log.
  static Result<std::unique_ptr<Observability>> Create(const std::string& access_log);

  // Free disk space in the metrics is what `gauge` last measured (it must outlive the metrics'
  // use).
  void WatchDisk(blob::FreeSpaceGauge& gauge) { disk_ = &gauge; }
  // Each bucket's figures in the metrics, read from `meta` when a page is rendered, on `pool` (both
  // must outlive the metrics' use).
  void WatchBuckets(meta::MetaStore& meta, boost::asio::thread_pool& pool);

  blob::FsyncObserver FsyncHook();
  meta::TimedMetaStore::Observer MetadataHook();
  LifecycleWorker::SweepObserver SweepHook();
  s3::Observability PipelineHooks();
  // Counts a request in flight until the pipeline reports it finished.
  void RequestStarted() { metrics_.RequestStarted(); }
  // The whole HTTP surface of --metrics-listen: GET /metrics (and /_cairn/metrics).
  http::Handler MetricsEndpoint();

 private:
  Observability();
  metrics::ServerMetrics metrics_;
  std::unique_ptr<AccessLog> access_log_;
  blob::FreeSpaceGauge* disk_ = nullptr;
  boost::asio::thread_pool* render_pool_ = nullptr;  // null: render on the caller's thread
};

}  // namespace cairn::app
