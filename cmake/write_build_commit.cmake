# Run at every build (cmake/version.cmake): writes OUTPUT, a C++ source naming the commit the
# binary is built from, and rewrites it only when the commit changed, so that an unchanged tree
# rebuilds nothing. "unknown" outside a git checkout (a source tarball).
execute_process(
  COMMAND git -C "${SOURCE_DIR}" describe --always --dirty --abbrev=12
  OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE failed)
if(failed OR commit STREQUAL "")
  set(commit "unknown")
endif()
set(text "// Written by cmake/write_build_commit.cmake at build time.\n#include \"version/version.h\"\n\nnamespace cairn {\nstd::string_view BuildCommit() { return \"${commit}\"; }\n}  // namespace cairn\n")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUTPUT}" "${text}")
endif()
