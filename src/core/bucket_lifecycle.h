// Where a bucket's lifecycle configuration lives: a bucket configuration document named
// "lifecycle" in the metadata store, in core::EncodeLifecycle's JSON form. Blocking.
#pragma once

#include <optional>
#include <string>

#include "common/status.h"
#include "core/lifecycle.h"
#include "meta/meta_store.h"

namespace cairn::core {

// nullopt when the bucket has no configuration. Errors: NoSuchBucket.
Result<std::optional<LifecycleConfiguration>> LoadLifecycle(meta::MetaStore& meta,
                                                            const std::string& bucket);
// nullopt deletes. Errors: NoSuchBucket.
Status StoreLifecycle(meta::MetaStore& meta, const std::string& bucket,
                      const std::optional<LifecycleConfiguration>& config);

}  // namespace cairn::core
