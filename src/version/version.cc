#include "version/version.h"

#include <nlohmann/json.hpp>

namespace cairn {

std::string_view Version() { return CAIRN_VERSION; }

std::string VersionLine() {
  return "cairn " + std::string(Version()) + " (commit " + std::string(BuildCommit()) + ")";
}

std::string HealthDocument() {
  return nlohmann::json{{"status", "ok"}, {"version", Version()}, {"commit", BuildCommit()}}.dump();
}

}  // namespace cairn
