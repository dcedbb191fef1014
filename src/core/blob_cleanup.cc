#include "core/blob_cleanup.h"

#include <spdlog/spdlog.h>

namespace cairn::core {

void RemoveUnreferencedBlobs(blob::BlobStore& blobs, const std::vector<std::string>& ids) {
  for (const std::string& id : ids) {
    if (Status s = blobs.Remove(id); !s.ok()) {
      spdlog::warn("could not remove blob {}: {}", id, s.error().Message());
    }
  }
}

}  // namespace cairn::core
