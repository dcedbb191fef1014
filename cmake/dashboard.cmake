# The dashboard's web assets: the npm packages from web/package-lock.json, an esbuild bundle, and
# web/embed.mjs turning the bundle into a C++ source of the cairn_dashboard library. Rebuilt when
# anything under web/ changes.
find_program(NODE_EXECUTABLE node REQUIRED)
set(web_dir ${CMAKE_CURRENT_SOURCE_DIR}/web)
set(web_out ${CMAKE_CURRENT_BINARY_DIR}/web)
file(GLOB_RECURSE web_sources CONFIGURE_DEPENDS ${web_dir}/src/*)

add_custom_command(
  OUTPUT ${web_out}/npm-ci.stamp
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/scripts/npm-install.sh ${web_dir}
  COMMAND ${CMAKE_COMMAND} -E touch ${web_out}/npm-ci.stamp
  DEPENDS ${web_dir}/package.json ${web_dir}/package-lock.json
          ${CMAKE_CURRENT_SOURCE_DIR}/scripts/npm-install.sh
  COMMENT "Installing the dashboard's npm packages"
  VERBATIM)
add_custom_command(
  OUTPUT ${web_out}/dashboard_assets.cc
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${web_out}/dist
  COMMAND ${NODE_EXECUTABLE} ${web_dir}/build.mjs --out ${web_out}/dist
  COMMAND ${NODE_EXECUTABLE} ${web_dir}/embed.mjs ${web_out}/dist ${web_out}/dashboard_assets.cc
  DEPENDS ${web_out}/npm-ci.stamp ${web_sources} ${web_dir}/index.html ${web_dir}/favicon.svg
          ${web_dir}/build.mjs ${web_dir}/embed.mjs
  COMMENT "Building the dashboard"
  VERBATIM)
target_sources(cairn_dashboard PRIVATE ${web_out}/dashboard_assets.cc)

# The dashboard's JavaScript unit tests (node's test runner), beside the C++ ones in ctest.
add_test(NAME dashboard_js COMMAND ${NODE_EXECUTABLE} --test ${web_dir}/test/)
