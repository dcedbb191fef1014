// Durations are parsed by hand rather than with std::from_chars<double> so that "1.5s" and
// "0.25s" are exact in nanoseconds; keys are zero-padded so that listing order is index order.
#include "cli/bench_args.h"

#include <cctype>
#include <cstdio>

#include "cli/errors.h"

namespace cairn::cli {
namespace {

struct Unit {
  std::string_view suffix;
  int64_t nanos;
};
constexpr Unit kUnits[] = {{"ns", 1},
                           {"us", 1'000},
                           {"ms", 1'000'000},
                           {"s", 1'000'000'000},
                           {"", 1'000'000'000},
                           {"m", 60'000'000'000},
                           {"min", 60'000'000'000},
                           {"h", 3'600'000'000'000}};

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

std::chrono::nanoseconds ParseDuration(std::string_view arg, std::string_view flag) {
  auto bad = [&] {
    return UsageError(std::string(flag) + " wants a duration such as 10s, 500ms or 2m, got '" +
                      std::string(arg) + "'");
  };
  size_t i = 0;
  int64_t whole = 0;
  int whole_digits = 0;
  while (i < arg.size() && std::isdigit(static_cast<unsigned char>(arg[i]))) {
    if (++whole_digits > 9) throw bad();
    whole = whole * 10 + (arg[i++] - '0');
  }
  int64_t fraction = 0;  // in units of 10^-9
  int fraction_digits = 0;
  if (i < arg.size() && arg[i] == '.') {
    ++i;
    int64_t scale = 100'000'000;
    while (i < arg.size() && std::isdigit(static_cast<unsigned char>(arg[i]))) {
      if (++fraction_digits > 9) throw bad();
      fraction += (arg[i++] - '0') * scale;
      scale /= 10;
    }
    if (fraction_digits == 0) throw bad();
  }
  if (whole_digits == 0 && fraction_digits == 0) throw bad();
  const std::string_view suffix = arg.substr(i);
  for (const Unit& unit : kUnits) {
    if (suffix != unit.suffix) continue;
    // fraction * nanos / 1e9 without overflow: nanos is a multiple of 1e9 or below it.
    const int64_t part = unit.nanos >= 1'000'000'000
                             ? fraction * (unit.nanos / 1'000'000'000)
                             : fraction / (1'000'000'000 / unit.nanos);
    return std::chrono::nanoseconds(whole * unit.nanos + part);
  }
  throw bad();
}

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
