#include "core/bucket_documents.h"

namespace cairn::core {
namespace {

template <typename Config, typename Decode>
Result<std::optional<Config>> Load(meta::MetaStore& meta, const std::string& bucket,
                                   const char* name, Decode decode) {
  auto document = meta.GetBucketConfig(bucket, name);
  if (!document.ok()) return document.error();
  if (!document->has_value()) return std::optional<Config>();
  Result<Config> config = decode(**document);
  if (!config.ok()) return config.error();
  return std::optional<Config>(std::move(*config));
}

template <typename Config, typename Encode>
Status Store(meta::MetaStore& meta, const std::string& bucket, const char* name,
             const std::optional<Config>& config, Encode encode) {
  std::optional<std::string> document;
  if (config) document = encode(*config);
  return meta.PutBucketConfig(bucket, name, document);
}

}  // namespace

Result<std::optional<LifecycleConfiguration>> LoadLifecycle(meta::MetaStore& meta,
                                                            const std::string& bucket) {
  return Load<LifecycleConfiguration>(meta, bucket, "lifecycle", DecodeLifecycle);
}

Result<std::optional<CorsConfiguration>> LoadCors(meta::MetaStore& meta,
                                                  const std::string& bucket) {
  return Load<CorsConfiguration>(meta, bucket, "cors", DecodeCors);
}

Status StoreLifecycle(meta::MetaStore& meta, const std::string& bucket,
                      const std::optional<LifecycleConfiguration>& config) {
  return Store(meta, bucket, "lifecycle", config, EncodeLifecycle);
}

Status StoreCors(meta::MetaStore& meta, const std::string& bucket,
                 const std::optional<CorsConfiguration>& config) {
  return Store(meta, bucket, "cors", config, EncodeCors);
}

Result<bool> LoadPublicAccess(meta::MetaStore& meta, const std::string& bucket) {
  auto document = meta.GetBucketConfig(bucket, "public");
  if (!document.ok()) return document.error();
  return document->has_value();
}

Status StorePublicAccess(meta::MetaStore& meta, const std::string& bucket, bool is_public) {
  return meta.PutBucketConfig(bucket, "public",
                              is_public ? std::optional<std::string>("{}") : std::nullopt);
}

}  // namespace cairn::core
