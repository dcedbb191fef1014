#include "blob/blob_id.h"

#include <sys/random.h>

#include <cerrno>
#include <system_error>

#include "common/encoding.h"

namespace cairn::blob {
namespace {

constexpr size_t kIdBytes = 16;

}  // namespace

Result<std::string> NewBlobId() {
  unsigned char bytes[kIdBytes];
  size_t filled = 0;
  while (filled < sizeof bytes) {
    ssize_t n = getrandom(bytes + filled, sizeof bytes - filled, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error(ErrorCode::kStorageIOError,
                   "getrandom: " + std::generic_category().message(errno));
    }
    filled += static_cast<size_t>(n);
  }
  return HexEncode(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

bool IsValidBlobId(std::string_view id) {
  if (id.size() != kIdBytes * 2) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace cairn::blob
