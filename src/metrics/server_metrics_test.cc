#include "metrics/server_metrics.h"

#include <gtest/gtest.h>

namespace cairn::metrics {
namespace {

using std::chrono::milliseconds;

bool Has(const std::string& text, const std::string& line) {
  return text.find(line) != std::string::npos;
}

TEST(ServerMetrics, CountsRequestsByOperationAndStatus) {
  ServerMetrics m;
  m.RequestStarted();
  m.RequestStarted();
  m.RequestFinished("PutObject", 200, milliseconds(3), 4096, 250, "KEY1");
  m.RequestStarted();
  m.RequestFinished("PutObject", 200, milliseconds(2), 4096, 250, "KEY1");
  m.RequestStarted();
  m.RequestFinished("GetObject", 404, milliseconds(1), 0, 300, "");
  const std::string text = m.Render();
  EXPECT_TRUE(Has(text, "cairn_requests_total{operation=\"PutObject\",status=\"200\"} 2")) << text;
  EXPECT_TRUE(Has(text, "cairn_requests_total{operation=\"GetObject\",status=\"404\"} 1")) << text;
  EXPECT_TRUE(Has(text, "cairn_received_bytes_total 8192")) << text;
  EXPECT_TRUE(Has(text, "cairn_sent_bytes_total 800")) << text;
  EXPECT_TRUE(Has(text, "cairn_requests_in_flight 1")) << text;
  EXPECT_TRUE(Has(text, "cairn_request_duration_seconds_count{operation=\"PutObject\"} 2")) << text;
  EXPECT_TRUE(
      Has(text, "cairn_request_duration_seconds_bucket{operation=\"PutObject\",le=\"0.0025\"} 1"))
      << text;
  EXPECT_TRUE(Has(text, "# TYPE cairn_request_duration_seconds histogram")) << text;
}

TEST(ServerMetrics, CountsRequestsByAccessKeyIdAnonymousUnderEmpty) {
  ServerMetrics m;
  for (const char* key : {"CAIRNAPP1", "CAIRNAPP1", "CAIRNAPP2", "", ""}) {
    m.RequestStarted();
    m.RequestFinished("GetObject", 200, milliseconds(1), 0, 10, key);
  }
  const std::string text = m.Render();
  EXPECT_TRUE(Has(text, "cairn_access_key_requests_total{access_key_id=\"CAIRNAPP1\"} 2")) << text;
  EXPECT_TRUE(Has(text, "cairn_access_key_requests_total{access_key_id=\"CAIRNAPP2\"} 1")) << text;
  EXPECT_TRUE(Has(text, "cairn_access_key_requests_total{access_key_id=\"\"} 2")) << text;
  EXPECT_TRUE(Has(text, "# TYPE cairn_access_key_requests_total counter")) << text;
}

TEST(ServerMetrics, AccessKeyLabelIsEscaped) {
  // A key id comes from CAIRN_ACCESS_KEY_ID, which may hold anything; the page must stay
  // parseable: backslash, quote and newline are escaped as the text format says.
  ServerMetrics m;
  m.RequestStarted();
  m.RequestFinished("GetObject", 200, milliseconds(1), 0, 10, "a\\b\"c\nd");
  const std::string text = m.Render();
  EXPECT_TRUE(Has(text, "cairn_access_key_requests_total{access_key_id=\"a\\\\b\\\"c\\nd\"} 1"))
      << text;
  EXPECT_FALSE(Has(text, "a\\b\"c\nd")) << text;
}

TEST(ServerMetrics, StorageLatencyAndSweeps) {
  ServerMetrics m([] { return std::optional<uint64_t>(123456789); });
  m.ObserveFsync("file", milliseconds(2));
  m.ObserveMetadata("GetObject", std::chrono::microseconds(40));
  m.ObserveSweep(milliseconds(5), 3, 2, 1);
  const std::string text = m.Render();
  EXPECT_TRUE(Has(text, "cairn_fsync_duration_seconds_count{kind=\"file\"} 1")) << text;
  EXPECT_TRUE(
      Has(text, "cairn_metadata_duration_seconds_bucket{call=\"GetObject\",le=\"5e-05\"} 1"))
      << text;
  EXPECT_TRUE(Has(text, "cairn_lifecycle_aborted_uploads_total 3")) << text;
  EXPECT_TRUE(Has(text, "cairn_lifecycle_expired_objects_total 2")) << text;
  EXPECT_TRUE(Has(text, "cairn_lifecycle_transitioned_objects_total 1")) << text;
  EXPECT_TRUE(Has(text, "cairn_disk_free_bytes 123456789")) << text;
}

TEST(ServerMetrics, BucketFiguresFollowTheSourceAndDeletedBucketsLeave) {
  ServerMetrics m;
  std::vector<BucketFigures> figures = {{"logs", 2500, 1048576}, {"photos", 3, 12}};
  m.WatchBuckets([&] { return std::optional(figures); });
  std::string text = m.Render();
  EXPECT_TRUE(Has(text, "cairn_bucket_objects{bucket=\"logs\"} 2500")) << text;
  EXPECT_TRUE(Has(text, "cairn_bucket_bytes{bucket=\"logs\"} 1048576")) << text;
  EXPECT_TRUE(Has(text, "cairn_bucket_objects{bucket=\"photos\"} 3")) << text;

  figures = {{"logs", 2499, 1048000}};
  text = m.Render();
  EXPECT_TRUE(Has(text, "cairn_bucket_objects{bucket=\"logs\"} 2499")) << text;
  EXPECT_FALSE(Has(text, "photos")) << text;

  // An unreadable store keeps the last figures rather than drop them.
  m.WatchBuckets([] { return std::optional<std::vector<BucketFigures>>(); });
  EXPECT_TRUE(Has(m.Render(), "cairn_bucket_bytes{bucket=\"logs\"} 1048000"));
}

}  // namespace
}  // namespace cairn::metrics
