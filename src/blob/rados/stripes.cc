#include "blob/rados/stripes.h"

namespace cairn::blob::rados {

Status RemoveStripes(Pool& pool, const std::string& id, uint64_t count) {
  constexpr size_t kRemovalsInFlight = 16;
  AioWindow removals(kRemovalsInFlight);
  for (uint64_t i = 0; i < count; ++i) {
    const std::string name = StripeName(id, i);
    Status s = removals.Add(
        "remove", name,
        [&](rados_completion_t completion) {
          return rados_aio_remove(pool.io(), name.c_str(), completion);
        },
        /*missing_ok=*/true);
    if (!s.ok()) return s;
  }
  return removals.WaitAll();
}

}  // namespace cairn::blob::rados
