// How a RADOS blob's bytes are laid out: stripe i of blob <id> is the object `<id>.<i>` (decimal
// i, from 0), holding the blob's bytes [i * stripe_bytes, (i + 1) * stripe_bytes).
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>

#include "blob/blob_id.h"
#include "blob/rados/rados_pool.h"
#include "common/status.h"

namespace cairn::blob::rados {

inline std::string StripeName(const std::string& id, uint64_t index) {
  return id + "." + std::to_string(index);
}

// The blob id of a stripe object's name; nullopt for any other object.
inline std::optional<std::string> StripeOwner(const std::string& name) {
  const size_t dot = name.find('.');
  if (dot == std::string::npos || dot + 1 == name.size()) return std::nullopt;
  std::string id = name.substr(0, dot);
  uint64_t index = 0;
  const char* end = name.data() + name.size();
  auto [at, ec] = std::from_chars(name.data() + dot + 1, end, index);
  if (ec != std::errc() || at != end || !IsValidBlobId(id)) return std::nullopt;
  return id;
}

// Removes stripes [0, count) of blob `id`, several at a time; missing ones are not an error.
Status RemoveStripes(Pool& pool, const std::string& id, uint64_t count);

}  // namespace cairn::blob::rados
