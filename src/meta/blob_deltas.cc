#include "meta/blob_deltas.h"

#include <set>

namespace cairn::meta {
namespace {

std::set<std::string> BlobIds(const std::vector<core::Extent>& extents) {
  std::set<std::string> ids;
  for (const core::Extent& e : extents) ids.insert(e.blob_id);
  return ids;
}

}  // namespace

void AddReferences(const std::vector<core::Extent>& extents, BlobDeltas* deltas) {
  for (const std::string& id : BlobIds(extents)) ++(*deltas)[id];
}

void DropReferences(const std::vector<core::Extent>& extents, BlobDeltas* deltas) {
  for (const std::string& id : BlobIds(extents)) --(*deltas)[id];
}

}  // namespace cairn::meta
