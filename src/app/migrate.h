// `cairn migrate --meta URL`: brings a metadata store's schema to the version this binary knows,
// and says from which version to which. Every step only adds (tables, columns with defaults,
// indexes), so it is safe while gateways of the previous version still run on the store; a
// gateway refuses to start on a schema newer than it knows. `serve` migrates by itself as well:
// this is for upgrading the schema once, before rolling new gateways out.
#pragma once

#include <string>

namespace cairn::app {

// Prints the outcome (or the error, on stderr); the exit status: 0, or 1 on failure.
int RunMigrate(const std::string& meta_url);

}  // namespace cairn::app
