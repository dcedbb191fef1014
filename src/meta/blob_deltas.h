// Blob reference accounting that every engine shares: an object or a part holds one reference per
// distinct blob of its extents, and an engine's blob table counts the holders. A write computes
// the net change per blob over everything it adds and removes and applies it once, so a blob that
// one record gives up and another takes in the same transaction is never seen at zero, hence
// never reported as freed.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/records.h"

namespace cairn::meta {

// Net reference changes per blob id, built by the Add/Drop calls below.
using BlobDeltas = std::map<std::string, int64_t>;

// One reference per distinct blob of `extents` taken (Add) or given up (Drop).
void AddReferences(const std::vector<core::Extent>& extents, BlobDeltas* deltas);
void DropReferences(const std::vector<core::Extent>& extents, BlobDeltas* deltas);

}  // namespace cairn::meta
