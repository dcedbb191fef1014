// What bringing a metadata store's schema up to date did: the version found and the version left
// (the same when there was nothing to do). `cairn migrate` prints both.
#pragma once

#include <cstdint>

namespace cairn::meta {

struct SchemaMigration {
  int64_t from = 0;  // 0: an empty store
  int64_t to = 0;
};

}  // namespace cairn::meta
