// Parsing of the command line's own argument forms: BUCKET/KEY paths, --meta k=v pairs, sizes such
// as 8MiB, durations such as 10s or 30d, storage class names and --expires dates. Each throws a
// CliError with kExitUsage and a message naming the bad value, so every command reports bad input
// the same way.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace cairn::cli {

struct ObjectPath {
  std::string bucket;
  std::string key;  // may be empty when the caller allows it (a list prefix)
};

// "BUCKET/KEY": the first slash ends the bucket name; the key keeps any further slashes, as in
// `wrangler r2 object put photos/2024/cat.png`. With `key_required`, a missing or empty key is
// an error.
ObjectPath SplitObjectPath(std::string_view arg, bool key_required);

// "name=value" of --meta; the value may contain '=' and may be empty, the name may not.
std::pair<std::string, std::string> ParseMetadataPair(std::string_view arg);

// A byte count: "8388608", "8MiB", "8M", "512KiB", "1GiB" (K, M, G are binary, as part sizes are
// always counted in MiB).
uint64_t ParseByteSize(std::string_view arg);

// "10s", "1.5s", "500ms", "2m", "1h", "30d", or a bare number of seconds ("30"). Throws a usage
// error (kExitUsage) naming `flag` for anything else, negative values included.
std::chrono::nanoseconds ParseDuration(std::string_view arg, std::string_view flag = "--duration");

// A duration in whole seconds, as the admin API counts them (--ttl 1h, --expires 30d): as
// ParseDuration, and a usage error for a fraction of a second.
std::chrono::seconds ParseSeconds(std::string_view arg, std::string_view flag);

// R2's names, "Standard" or "InfrequentAccess"; S3's STANDARD and STANDARD_IA are accepted too,
// in any case.
std::string NormalizeStorageClass(std::string_view arg);

// The Expires header for --expires: an HTTP date as is, or an ISO 8601 date or date-time (taken
// as UTC) converted to one.
std::string NormalizeExpires(std::string_view arg);

// A file size for people: "1.5 MiB", "312 B".
std::string HumanSize(uint64_t bytes);

}  // namespace cairn::cli
