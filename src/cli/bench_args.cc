// Keys are zero-padded so that listing order is index order.
#include "cli/bench_args.h"

#include <cstdio>

namespace cairn::cli {
namespace {

std::string Padded(uint64_t value, int width) {
  char text[32];
  std::snprintf(text, sizeof text, "%0*llu", width, static_cast<unsigned long long>(value));
  return text;
}

int Digits(uint64_t value) {
  int digits = 1;
  while (value >= 10) {
    value /= 10;
    ++digits;
  }
  return digits;
}

}  // namespace

std::string FormatDuration(std::chrono::nanoseconds d) {
  const int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  if (ms % 3'600'000 == 0 && ms != 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms % 60'000 == 0 && ms != 0) return std::to_string(ms / 60'000) + "m";
  if (ms % 1'000 == 0) return std::to_string(ms / 1'000) + "s";
  return std::to_string(ms) + "ms";
}

std::string DataSetPrefix(std::string_view prefix, uint64_t object_size) {
  return std::string(prefix) + "data-" + std::to_string(object_size) + "/";
}

std::string DataSetKey(std::string_view set_prefix, uint64_t index, uint64_t common_prefixes) {
  std::string key(set_prefix);
  if (common_prefixes > 0) {
    key += "d" + Padded(index % common_prefixes, Digits(common_prefixes - 1)) + "/";
  }
  key += Padded(index, 8);
  return key;
}

std::string NewObjectKey(std::string_view prefix, std::string_view run_id, unsigned worker,
                         uint64_t seq) {
  return std::string(prefix) + "new-" + std::string(run_id) + "/w" + Padded(worker, 3) + "/" +
         Padded(seq, 8);
}

}  // namespace cairn::cli
