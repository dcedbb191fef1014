// Checks on the local files a command reads or writes, made before any request is sent, so that a
// typo in a path is reported as such (exit code 6) rather than as whatever the client library says
// halfway through an upload.
#pragma once

#include <cstdint>
#include <string>

namespace cairn::cli {

// The size of the regular file at `path`; throws a CliError with kExitLocalFile when it is
// missing, not a regular file, or not readable.
uint64_t CheckReadableFile(const std::string& path);

// Throws a CliError with kExitLocalFile unless `path` can be created or overwritten: its directory
// exists and is writable, and `path` is not a directory. Returns whether it exists already.
bool CheckWritableFile(const std::string& path);

// Reads a whole (small) file: a rules document or a bulk list. "-" reads stdin.
std::string ReadSmallFile(const std::string& path);

}  // namespace cairn::cli
