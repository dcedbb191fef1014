// Where a bucket's configuration documents live: bucket configuration entries in the metadata
// store, named "lifecycle" and "cors", holding core::EncodeLifecycle's and core::EncodeCors's JSON,
// and "public" (present, "{}", when the bucket serves anonymous reads; absent when private).
// Blocking.
#pragma once

#include <optional>
#include <string>

#include "common/status.h"
#include "core/cors.h"
#include "core/lifecycle.h"
#include "meta/meta_store.h"

namespace cairn::core {

// nullopt when the bucket has no such document. Errors: NoSuchBucket.
Result<std::optional<LifecycleConfiguration>> LoadLifecycle(meta::MetaStore& meta,
                                                            const std::string& bucket);
Result<std::optional<CorsConfiguration>> LoadCors(meta::MetaStore& meta, const std::string& bucket);

// nullopt deletes. Errors: NoSuchBucket.
Status StoreLifecycle(meta::MetaStore& meta, const std::string& bucket,
                      const std::optional<LifecycleConfiguration>& config);
Status StoreCors(meta::MetaStore& meta, const std::string& bucket,
                 const std::optional<CorsConfiguration>& config);

// Whether anonymous GET and HEAD of the bucket's objects are served (docs/access-keys.md).
// Errors: NoSuchBucket.
Result<bool> LoadPublicAccess(meta::MetaStore& meta, const std::string& bucket);
Status StorePublicAccess(meta::MetaStore& meta, const std::string& bucket, bool is_public);

}  // namespace cairn::core
