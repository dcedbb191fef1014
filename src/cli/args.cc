// The argument forms of args.h. Sizes are binary because part sizes are counted in MiB
// everywhere (R2's rules, the AWS SDKs); durations are parsed by hand rather than with
// std::from_chars<double> so that "1.5s" and "0.25s" are exact in nanoseconds; --expires accepts
// ISO 8601 because that is what people type.
#include "cli/args.h"

#include <cctype>
#include <cstdio>
#include <limits>

#include "cli/errors.h"
#include "common/time_format.h"

namespace cairn::cli {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

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
                           {"h", 3'600'000'000'000},
                           {"d", 86'400'000'000'000}};

}  // namespace

ObjectPath SplitObjectPath(std::string_view arg, bool key_required) {
  const size_t slash = arg.find('/');
  ObjectPath path;
  path.bucket = std::string(arg.substr(0, slash));
  if (slash != std::string_view::npos) path.key = std::string(arg.substr(slash + 1));
  if (path.bucket.empty()) {
    throw UsageError("'" + std::string(arg) + "' has no bucket name: expected BUCKET/KEY");
  }
  if (key_required && path.key.empty()) {
    throw UsageError("'" + std::string(arg) + "' has no key: expected BUCKET/KEY");
  }
  return path;
}

std::pair<std::string, std::string> ParseMetadataPair(std::string_view arg) {
  const size_t eq = arg.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    throw UsageError("--meta wants NAME=VALUE, got '" + std::string(arg) + "'");
  }
  std::string name(arg.substr(0, eq));
  // The name travels as part of an x-amz-meta-NAME header: it must be an HTTP token.
  for (char c : name) {
    const bool token = std::isalnum(static_cast<unsigned char>(c)) ||
                       std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!token) {
      throw UsageError("--meta name '" + name +
                       "' may only hold letters, digits and !#$%&'*+-.^_`|~");
    }
  }
  return {std::move(name), std::string(arg.substr(eq + 1))};
}

uint64_t ParseByteSize(std::string_view arg) {
  size_t digits = 0;
  while (digits < arg.size() && std::isdigit(static_cast<unsigned char>(arg[digits]))) ++digits;
  const std::string suffix = Lower(arg.substr(digits));
  uint64_t unit = 0;
  if (suffix.empty() || suffix == "b")
    unit = 1;
  else if (suffix == "k" || suffix == "kib" || suffix == "kb")
    unit = 1ull << 10;
  else if (suffix == "m" || suffix == "mib" || suffix == "mb")
    unit = 1ull << 20;
  else if (suffix == "g" || suffix == "gib" || suffix == "gb")
    unit = 1ull << 30;
  if (digits == 0 || digits > 12 || unit == 0) {
    throw UsageError("'" + std::string(arg) + "' is not a size (examples: 8MiB, 512KiB, 1048576)");
  }
  return std::stoull(std::string(arg.substr(0, digits))) * unit;
}

std::chrono::nanoseconds ParseDuration(std::string_view arg, std::string_view flag) {
  auto bad = [&] {
    return UsageError(std::string(flag) +
                      " wants a duration such as 10s, 500ms, 2m, 1h or 30d, got '" +
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
    // Nine digits of days would not fit in 64 bits of nanoseconds.
    if (whole >= std::numeric_limits<int64_t>::max() / unit.nanos) throw bad();
    // fraction * nanos / 1e9 without overflow: nanos is a multiple of 1e9 or below it.
    const int64_t part = unit.nanos >= 1'000'000'000 ? fraction * (unit.nanos / 1'000'000'000)
                                                     : fraction / (1'000'000'000 / unit.nanos);
    return std::chrono::nanoseconds(whole * unit.nanos + part);
  }
  throw bad();
}

std::chrono::seconds ParseSeconds(std::string_view arg, std::string_view flag) {
  const std::chrono::nanoseconds d = ParseDuration(arg, flag);
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(d);
  if (seconds != d) {
    throw UsageError(std::string(flag) + " counts whole seconds, got '" + std::string(arg) + "'");
  }
  return seconds;
}

std::string NormalizeStorageClass(std::string_view arg) {
  const std::string lower = Lower(arg);
  if (lower == "standard") return "Standard";
  if (lower == "infrequentaccess" || lower == "standard_ia") return "InfrequentAccess";
  throw UsageError("--storage-class must be Standard or InfrequentAccess, got '" +
                   std::string(arg) + "'");
}

std::string NormalizeExpires(std::string_view arg) {
  if (ParseHttpDate(arg)) return std::string(arg);
  std::string iso(arg);
  if (iso.size() == 10) iso += "T00:00:00Z";           // 2030-01-01
  if (iso.size() == 19 && iso[10] == 'T') iso += "Z";  // 2030-01-01T12:00:00
  if (auto t = ParseIso8601(iso)) return FormatHttpDate(*t);
  throw UsageError(
      "--expires wants an HTTP date (Wed, 01 Jan 2030 00:00:00 GMT) or an ISO 8601 "
      "date (2030-01-01), got '" +
      std::string(arg) + "'");
}

std::string HumanSize(uint64_t bytes) {
  static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 5) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  if (unit == 0) {
    std::snprintf(text, sizeof text, "%llu B", static_cast<unsigned long long>(bytes));
  } else {
    std::snprintf(text, sizeof text, "%.1f %s", value, kUnits[unit]);
  }
  return text;
}

}  // namespace cairn::cli
