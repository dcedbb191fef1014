# cairn_version: the release (project(VERSION)) and the commit a binary is built from, for
# `cairn --version`, the serve banner, /_cairn/health and the dashboard's footer. The commit is
# read at every build by a small script; its source changes only when the commit does.
set(build_commit_source ${CMAKE_CURRENT_BINARY_DIR}/generated/build_commit.cc)
add_custom_target(cairn_build_commit
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_CURRENT_SOURCE_DIR}
          -DOUTPUT=${build_commit_source} -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/write_build_commit.cmake
  BYPRODUCTS ${build_commit_source}
  COMMENT "Reading the commit cairn is built from")
add_library(cairn_version STATIC ${CMAKE_CURRENT_SOURCE_DIR}/src/version/version.cc
            ${build_commit_source})
add_dependencies(cairn_version cairn_build_commit)
target_include_directories(cairn_version PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/src)
target_compile_definitions(cairn_version PRIVATE CAIRN_VERSION="${PROJECT_VERSION}")
target_link_libraries(cairn_version PRIVATE nlohmann_json::nlohmann_json)
