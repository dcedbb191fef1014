#include "app/observability.h"

#include "common/offload.h"
#include "core/bucket_service.h"

namespace cairn::app {

Observability::Observability()
    : metrics_([this]() -> std::optional<uint64_t> {
        return disk_ == nullptr ? std::nullopt : disk_->FreeBytes();
      }) {}

Result<std::unique_ptr<Observability>> Observability::Create(const std::string& access_log) {
  std::unique_ptr<Observability> o(new Observability());
  if (!access_log.empty()) {
    auto log = AccessLog::Open(access_log);
    if (!log.ok()) return log.error();
    o->access_log_ = std::move(*log);
  }
  return o;
}

void Observability::WatchBuckets(meta::MetaStore& meta, boost::asio::thread_pool& pool) {
  render_pool_ = &pool;
  metrics_.WatchBuckets([&meta]() -> std::optional<std::vector<metrics::BucketFigures>> {
    Result<std::vector<core::BucketSummary>> summaries = core::SummarizeBuckets(meta);
    if (!summaries.ok()) return std::nullopt;
    std::vector<metrics::BucketFigures> figures;
    figures.reserve(summaries->size());
    for (const core::BucketSummary& s : *summaries) {
      figures.push_back({s.bucket.name, s.usage.objects, s.usage.bytes});
    }
    return figures;
  });
}

blob::FsyncObserver Observability::FsyncHook() {
  return [this](std::string_view kind, std::chrono::nanoseconds took) {
    metrics_.ObserveFsync(kind, took);
  };
}

meta::TimedMetaStore::Observer Observability::MetadataHook() {
  return [this](std::string_view call, std::chrono::nanoseconds took) {
    metrics_.ObserveMetadata(call, took);
  };
}

LifecycleWorker::SweepObserver Observability::SweepHook() {
  return [this](std::chrono::nanoseconds took, const core::SweepReport& report) {
    metrics_.ObserveSweep(took, report.aborted_uploads, report.expired_objects,
                          report.transitioned_objects);
  };
}

s3::Observability Observability::PipelineHooks() {
  s3::Observability hooks;
  hooks.on_request = [this](const s3::RequestRecord& r) {
    // A temporary credential counts as its parent: its own id is made per credential (a web app
    // may issue one per upload) and would add a series to the page, for good, each time.
    metrics_.RequestFinished(
        r.operation, r.status, r.duration, r.bytes_received, r.bytes_sent,
        r.parent_access_key_id.empty() ? r.access_key_id : r.parent_access_key_id);
    if (access_log_) access_log_->Write(r);
  };
  hooks.render_metrics = [this] { return metrics_.Render(); };
  return hooks;
}

http::Handler Observability::MetricsEndpoint() {
  return [this](http::Exchange& exchange) -> Awaitable<void> {
    const http::RequestHead& request = exchange.request();
    const std::string_view path =
        std::string_view(request.target).substr(0, request.target.find('?'));
    http::ResponseHead head;
    if (request.method != "GET" || (path != "/metrics" && path != "/_cairn/metrics")) {
      head.status = 404;
      head.Set("Content-Type", "text/plain; charset=utf-8");
      co_await exchange.Respond(std::move(head), "This address serves GET /metrics only.\n");
      co_return;
    }
    head.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    // Off the event loop when the page reads the metadata store (WatchBuckets).
    std::string page;
    if (render_pool_ == nullptr) {
      page = metrics_.Render();
    } else {
      page = co_await RunBlocking(*render_pool_, [this] { return metrics_.Render(); });
    }
    co_await exchange.Respond(std::move(head), page);
  };
}

}  // namespace cairn::app
