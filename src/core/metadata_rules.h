// Rules for the metadata a client sends with an object.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace cairn::core {

inline constexpr size_t kMaxUserMetadataBytes = 8 * 1024;  // R2: 8 KiB of custom metadata in total

// Checks x-amz-meta-* entries (names with or without the prefix, values decoded): each name must
// be an HTTP token and each value fit for a header (InvalidArgument otherwise, as they are sent
// back as headers), and their total size (names + values) at most 8 KiB (MetadataTooLarge).
Status ValidateUserMetadata(const std::vector<std::pair<std::string, std::string>>& metadata);

// "STANDARD" or "STANDARD_IA" (R2's InfrequentAccess; "InfrequentAccess" and "Standard" accepted
// too) -> the stored name; empty -> STANDARD. Anything else: InvalidStorageClass.
Result<std::string> NormalizeStorageClass(std::string_view value);

}  // namespace cairn::core
