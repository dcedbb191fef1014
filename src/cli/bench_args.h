// The argument forms of `cairn bench` beyond those of args.h (sizes come from ParseByteSize,
// durations from ParseDuration): how durations are shown, and the names of the keys a run reads and
// writes. Keys are a
// pure function of their index so that a second run (or another tool) finds the objects a first
// one prepared, and so that a bucket filled for a listing has a known shape.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace cairn::cli {

// "10s", "250ms", "2m": the shortest of those forms that is exact to the millisecond.
std::string FormatDuration(std::chrono::nanoseconds d);

// Where the objects of a data set live: `prefix` + "data-" + size + "/", so that sets of different
// object sizes never overwrite each other.
std::string DataSetPrefix(std::string_view prefix, uint64_t object_size);

// The key of object `index` of a set. With `common_prefixes` = P > 0 the keys are spread over P
// "directories" (d<index mod P>/), which a listing with delimiter "/" rolls into P common
// prefixes; with 0 they sit side by side. Numbers are zero-padded so that the keys sort in index
// order within a directory.
std::string DataSetKey(std::string_view set_prefix, uint64_t index, uint64_t common_prefixes);

// The key of the `seq`-th new object written by worker `worker` of run `run_id` (put, mixed):
// one directory per worker keeps directories small on servers that map keys to files (nginx).
std::string NewObjectKey(std::string_view prefix, std::string_view run_id, unsigned worker,
                         uint64_t seq);

}  // namespace cairn::cli
