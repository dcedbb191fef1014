#include "core/bucket_lifecycle.h"

namespace cairn::core {
namespace {

constexpr char kDocumentName[] = "lifecycle";

}  // namespace

Result<std::optional<LifecycleConfiguration>> LoadLifecycle(meta::MetaStore& meta,
                                                            const std::string& bucket) {
  auto document = meta.GetBucketConfig(bucket, kDocumentName);
  if (!document.ok()) return document.error();
  if (!document->has_value()) return std::optional<LifecycleConfiguration>();
  auto config = DecodeLifecycle(**document);
  if (!config.ok()) return config.error();
  return std::optional<LifecycleConfiguration>(std::move(*config));
}

Status StoreLifecycle(meta::MetaStore& meta, const std::string& bucket,
                      const std::optional<LifecycleConfiguration>& config) {
  std::optional<std::string> document;
  if (config) document = EncodeLifecycle(*config);
  return meta.PutBucketConfig(bucket, kDocumentName, document);
}

}  // namespace cairn::core
