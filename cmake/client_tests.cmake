# Integration tests of the client library against a live `cairn serve` (tests/client/). They are
# not registered with ctest, which runs unit tests only: tests/client/run.sh runs them with the
# server binary, together with the install-and-consume test.
if(TARGET cairn_client)
  add_executable(cairn_client_integration_tests
    ${PROJECT_SOURCE_DIR}/tests/client/client_integration_test.cc
    ${PROJECT_SOURCE_DIR}/tests/client/upload_integration_test.cc
    ${PROJECT_SOURCE_DIR}/tests/client/it_support.cc
    ${PROJECT_SOURCE_DIR}/tests/client/live_server.cc)
  target_include_directories(cairn_client_integration_tests PRIVATE
    ${PROJECT_SOURCE_DIR}/tests/client)
  target_link_libraries(cairn_client_integration_tests PRIVATE cairn_client GTest::gtest)
  # The server the suite starts when given neither --cairn-binary nor CAIRN_BINARY.
  target_compile_definitions(cairn_client_integration_tests PRIVATE
    CAIRN_DEFAULT_BINARY="${CMAKE_BINARY_DIR}/cairn")
endif()
