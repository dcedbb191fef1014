#include "core/bucket_service.h"

#include "core/bucket_documents.h"
#include "core/names.h"
#include "meta/meta_store.h"

namespace cairn::core {

Awaitable<Result<std::vector<BucketRecord>>> ListBuckets(Storage& storage) {
  co_return co_await storage.Lookup([&] { return storage.meta.ListBuckets(); });
}

Awaitable<Status> CreateBucket(Storage& storage, std::string name, std::string location) {
  if (Status s = ValidateBucketName(name); !s.ok()) co_return s;
  if (location.empty() || location == "us-east-1") location = storage.limits.region;
  BucketRecord bucket{std::move(name), NowMillis(), std::move(location)};
  co_return co_await storage.Blocking([&] { return storage.meta.CreateBucket(bucket); });
}

Awaitable<Result<BucketRecord>> GetBucket(Storage& storage, std::string name) {
  co_return co_await storage.Lookup([&] { return storage.meta.GetBucket(name); });
}

Awaitable<Status> DeleteBucket(Storage& storage, std::string name) {
  co_return co_await storage.Blocking([&] { return storage.meta.DeleteBucket(name); });
}

namespace {

Result<BucketSummary> Summarize(meta::MetaStore& meta, BucketRecord bucket) {
  Result<BucketUsage> usage = meta.GetBucketUsage(bucket.name);
  if (!usage.ok()) return usage.error();
  return BucketSummary{std::move(bucket), *usage};
}

}  // namespace

Awaitable<Result<BucketSummary>> GetBucketSummary(Storage& storage, std::string name) {
  co_return co_await storage.Lookup([&]() -> Result<BucketSummary> {
    Result<BucketRecord> bucket = storage.meta.GetBucket(name);
    if (!bucket.ok()) return bucket.error();
    return Summarize(storage.meta, std::move(*bucket));
  });
}

Awaitable<Result<std::vector<BucketSummary>>> ListBucketSummaries(Storage& storage) {
  co_return co_await storage.Lookup([&] { return SummarizeBuckets(storage.meta); });
}

Result<std::vector<BucketSummary>> SummarizeBuckets(meta::MetaStore& meta) {
  Result<std::vector<BucketRecord>> buckets = meta.ListBuckets();
  if (!buckets.ok()) return buckets.error();
  std::vector<BucketSummary> out;
  out.reserve(buckets->size());
  for (BucketRecord& bucket : *buckets) {
    Result<BucketSummary> summary = Summarize(meta, std::move(bucket));
    if (summary.ok()) {
      out.push_back(std::move(*summary));
    } else if (summary.error().code != ErrorCode::kNoSuchBucket) {
      return summary.error();
    }
  }
  return out;
}

Awaitable<Result<ListPage>> ListObjects(Storage& storage, std::string bucket, ListQuery query) {
  co_return co_await storage.Lookup([&] { return storage.meta.ListObjects(bucket, query); });
}

Awaitable<Result<std::optional<CorsConfiguration>>> GetBucketCors(Storage& storage,
                                                                  std::string bucket) {
  co_return co_await storage.Lookup([&] { return LoadCors(storage.meta, bucket); });
}

Awaitable<Status> PutBucketCors(Storage& storage, std::string bucket,
                                std::optional<CorsConfiguration> config) {
  co_return co_await storage.Blocking([&] { return StoreCors(storage.meta, bucket, config); });
}

Awaitable<Result<std::optional<LifecycleConfiguration>>> GetBucketLifecycle(Storage& storage,
                                                                            std::string bucket) {
  co_return co_await storage.Lookup([&] { return LoadLifecycle(storage.meta, bucket); });
}

Awaitable<Status> PutBucketLifecycle(Storage& storage, std::string bucket,
                                     std::optional<LifecycleConfiguration> config) {
  if (config) {
    if (Status valid = ValidateLifecycle(*config); !valid.ok()) co_return valid;
    AssignRuleIds(*config);
  }
  co_return co_await storage.Blocking([&] { return StoreLifecycle(storage.meta, bucket, config); });
}

Awaitable<Result<bool>> GetBucketPublicAccess(Storage& storage, std::string bucket) {
  co_return co_await storage.Lookup([&] { return LoadPublicAccess(storage.meta, bucket); });
}

Awaitable<Status> PutBucketPublicAccess(Storage& storage, std::string bucket, bool is_public) {
  co_return co_await storage.Blocking(
      [&] { return StorePublicAccess(storage.meta, bucket, is_public); });
}

}  // namespace cairn::core
