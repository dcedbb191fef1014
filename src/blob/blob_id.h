// Blob ids: 128 random bits from the kernel CSPRNG, as 32 lowercase hex digits. Unguessable, so an
// id leaked in a log says nothing about other blobs, and collisions need no coordination.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace cairn::blob {

// A fresh id. Errors: kStorageIOError if the kernel has no random bytes to give.
Result<std::string> NewBlobId();

// Whether `id` has the form of a blob id. Engines refuse anything else before it names a file or
// a key (a "../" from a damaged database row, say).
bool IsValidBlobId(std::string_view id);

}  // namespace cairn::blob
