# The C++ examples of examples/cpp/: one program per upload flow of the R2 upload guide, linked to
# the client library like an application would. Built into <build>/examples/; tests/examples/run.sh
# runs them against a live server. Off with -DCAIRN_BUILD_EXAMPLES=OFF.
option(CAIRN_BUILD_EXAMPLES "Build the C++ examples in examples/cpp" ON)

if(CAIRN_BUILD_EXAMPLES AND TARGET cairn_client)
  set(cairn_examples put_object multipart_upload presigned_put mpu_service mpu_service_client)
  foreach(example IN LISTS cairn_examples)
    add_executable(cairn_example_${example} ${CMAKE_CURRENT_SOURCE_DIR}/examples/cpp/${example}.cc)
    set_target_properties(cairn_example_${example} PROPERTIES
      OUTPUT_NAME ${example}
      RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/examples)
    target_link_libraries(cairn_example_${example} PRIVATE
      cairn_client nlohmann_json::nlohmann_json Boost::system OpenSSL::SSL OpenSSL::Crypto
      Threads::Threads)
  endforeach()
  # `cmake --build BUILD --target cairn_examples` builds just these (and the library).
  list(TRANSFORM cairn_examples PREPEND cairn_example_ OUTPUT_VARIABLE cairn_examples_targets)
  add_custom_target(cairn_examples)
  add_dependencies(cairn_examples ${cairn_examples_targets})
endif()
