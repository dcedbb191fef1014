// Buckets: create, look up, list, delete; their configuration documents (CORS, lifecycle, public
// access); and the listing of their objects. Each call runs on the pool its kind of work needs:
// reads on the lookup pool, writes on the worker pool.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/awaitable.h"
#include "common/status.h"
#include "core/cors.h"
#include "core/lifecycle.h"
#include "core/records.h"
#include "core/storage.h"

namespace cairn::meta {
class MetaStore;
}

namespace cairn::core {

// A bucket with what it holds.
struct BucketSummary {
  BucketRecord bucket;
  BucketUsage usage;
};

// Sorted by name.
Awaitable<Result<std::vector<BucketRecord>>> ListBuckets(Storage& storage);
// `location` empty or "us-east-1": the server's region. Errors: InvalidBucketName,
// BucketAlreadyOwnedByYou.
Awaitable<Status> CreateBucket(Storage& storage, std::string name, std::string location);
// Errors: NoSuchBucket.
Awaitable<Result<BucketRecord>> GetBucket(Storage& storage, std::string name);
// Errors: NoSuchBucket, BucketNotEmpty.
Awaitable<Status> DeleteBucket(Storage& storage, std::string name);

// The figures come from the metadata store's counters: a lookup per bucket, whatever it holds.
// Errors: NoSuchBucket.
Awaitable<Result<BucketSummary>> GetBucketSummary(Storage& storage, std::string name);
// Every bucket, by name; one deleted while this runs is left out.
Awaitable<Result<std::vector<BucketSummary>>> ListBucketSummaries(Storage& storage);
// The same, blocking, for callers already off the event loop (the metrics page).
Result<std::vector<BucketSummary>> SummarizeBuckets(meta::MetaStore& meta);

// One page of a bucket's keys (core::ListQuery). Errors: NoSuchBucket.
Awaitable<Result<ListPage>> ListObjects(Storage& storage, std::string bucket, ListQuery query);

// The configuration documents. Get: nullopt when the bucket has none. Put with nullopt deletes.
// Errors: NoSuchBucket.
Awaitable<Result<std::optional<CorsConfiguration>>> GetBucketCors(Storage& storage,
                                                                  std::string bucket);
Awaitable<Status> PutBucketCors(Storage& storage, std::string bucket,
                                std::optional<CorsConfiguration> config);
Awaitable<Result<std::optional<LifecycleConfiguration>>> GetBucketLifecycle(Storage& storage,
                                                                            std::string bucket);
// Rules without an ID get one (AssignRuleIds). Errors also: the lifecycle rules' validation
// (InvalidArgument, MalformedXML).
Awaitable<Status> PutBucketLifecycle(Storage& storage, std::string bucket,
                                     std::optional<LifecycleConfiguration> config);
// Whether anonymous GET/HEAD may read the bucket's objects.
Awaitable<Result<bool>> GetBucketPublicAccess(Storage& storage, std::string bucket);
Awaitable<Status> PutBucketPublicAccess(Storage& storage, std::string bucket, bool is_public);

}  // namespace cairn::core
