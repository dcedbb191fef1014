// Removing blob files that the metadata store reported as no longer referenced. Failures are only
// logged: the start-up sweep removes any leftover. Blocking.
#pragma once

#include <string>
#include <vector>

#include "blob/blob_store.h"

namespace cairn::core {

void RemoveUnreferencedBlobs(blob::BlobStore& blobs, const std::vector<std::string>& ids);

}  // namespace cairn::core
