#pragma once
// The release and the commit this binary was built from (cmake/version.cmake).
#include <string>
#include <string_view>

namespace cairn {

// The release, e.g. "0.1.0" (CMakeLists.txt's project(VERSION)).
std::string_view Version();
// `git describe --always --dirty` of the source tree at build time, or "unknown".
std::string_view BuildCommit();
// "cairn 0.1.0 (commit 0123456789ab)": what --version and the serve banner print.
std::string VersionLine();
// What /_cairn/health answers on both listeners: {"status":"ok","version":...,"commit":...}.
std::string HealthDocument();

}  // namespace cairn
