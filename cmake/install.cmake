# `cmake --install <build> --prefix P` installs the client library for other CMake projects:
#
#   find_package(cairn REQUIRED)        # with P in CMAKE_PREFIX_PATH
#   target_link_libraries(app PRIVATE cairn::client)
#
# Installed: the public headers (include/cairn/), the static library cairn_client and the two
# internal static libraries it is built from (cairn_auth: the SigV4 signer it shares with the
# server; cairn_common: encodings, hashing, times), exported together as cairn::client,
# cairn::auth and cairn::common, and a package config that finds their dependencies (OpenSSL,
# Boost.System, Threads, fmt, spdlog, and ISA-L through pkg-config). Installing the internal
# libraries as they are, rather than merging their objects into one archive, keeps the link
# order and the dependencies to CMake. Only include/cairn/ is installed: the internal libraries'
# headers (src/) stay private, since the public headers never include them.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

if(TARGET cairn_client)
  set(_cairn_exported cairn_client cairn_auth cairn_common)
  set_target_properties(cairn_client PROPERTIES EXPORT_NAME client)
  set_target_properties(cairn_auth PROPERTIES EXPORT_NAME auth)
  set_target_properties(cairn_common PROPERTIES EXPORT_NAME common)

  # cairn_library() gives each library its source folder (src/) as a public include directory,
  # which an installed package must not name: keep it for the build tree only.
  foreach(_target IN LISTS _cairn_exported)
    get_target_property(_dirs ${_target} INTERFACE_INCLUDE_DIRECTORIES)
    set(_wrapped "")
    foreach(_dir IN LISTS _dirs)
      if(_dir MATCHES "^\\$<")
        list(APPEND _wrapped "${_dir}")
      else()
        list(APPEND _wrapped "$<BUILD_INTERFACE:${_dir}>")
      endif()
    endforeach()
    set_target_properties(${_target} PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${_wrapped}")
  endforeach()

  install(TARGETS ${_cairn_exported} EXPORT cairnTargets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/cairn
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")

  set(_cairn_config_dir ${CMAKE_INSTALL_LIBDIR}/cmake/cairn)
  install(EXPORT cairnTargets NAMESPACE cairn:: DESTINATION ${_cairn_config_dir})
  configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/cairnConfig.cmake.in
                                ${CMAKE_BINARY_DIR}/cairnConfig.cmake
                                INSTALL_DESTINATION ${_cairn_config_dir})
  write_basic_package_version_file(${CMAKE_BINARY_DIR}/cairnConfigVersion.cmake
                                   VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
  install(FILES ${CMAKE_BINARY_DIR}/cairnConfig.cmake ${CMAKE_BINARY_DIR}/cairnConfigVersion.cmake
          DESTINATION ${_cairn_config_dir})
endif()
