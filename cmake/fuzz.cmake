# libFuzzer harnesses (fuzz/*_fuzzer.cc) for every parser of untrusted bytes, with AddressSanitizer
# and UndefinedBehaviorSanitizer. A build directory of its own, configured with clang:
#   cmake -S . -B build-fuzz -G Ninja -DCAIRN_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ \
#     -DCMAKE_BUILD_TYPE=Debug   (asserts stay on; the harness flags add -O2)
# It builds the parsers and the harnesses only (not cairn, its libraries or its tests): the
# parsers compiled from their own sources, instrumented for coverage, so the build stays small.
# fuzz/run.sh runs the harnesses (`make fuzz`, and `make fuzz-smoke` in `make test`).
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "CAIRN_FUZZ needs clang and its libFuzzer: -DCMAKE_CXX_COMPILER=clang++")
endif()

# Asio 1.74 enables co_await on clang only with the Coroutines TS header, which libstdc++ lacks;
# clang 14's C++20 coroutines with libstdc++'s <coroutine> work, so say so (http/exchange.h).
add_compile_definitions(BOOST_ASIO_HAS_CO_AWAIT=1)
set(sanitizers -O2 -fsanitize=address,undefined -fno-sanitize-recover=undefined
    -fno-omit-frame-pointer -g)

# The parsers and what they call, and nothing that needs a socket, a disk or a database.
set(parser_sources
    common/crc64nvme.cc common/crc_combine.cc common/encoding.cc common/error_table.cc
    common/hashing.cc common/header_field.cc common/metadata_encoding.cc common/random.cc
    common/time_format.cc common/utf8.cc
    auth/access_policy.cc auth/aws_chunked.cc auth/fixed_credentials.cc auth/request_auth.cc
    auth/sigv4.cc
    core/cors.cc core/lifecycle.cc core/metadata_rules.cc core/multipart_rules.cc core/names.cc
    core/post_policy.cc core/preconditions.cc core/range.cc core/storage_errors.cc
    http/request_head.cc
    keys/access_key.cc keys/secret_box.cc keys/temporary_credential.cc
    s3/copy_source.cc s3/cors_xml.cc s3/form_data.cc s3/lifecycle_xml.cc s3/multipart_xml.cc
    s3/object_attributes_xml.cc s3/router.cc s3/xml.cc s3/xml_writer.cc
    s3/r2_binding/binding_conditions.cc s3/r2_binding/binding_errors.cc
    s3/r2_binding/binding_range.cc s3/r2_binding/binding_records.cc
    s3/r2_binding/binding_request.cc)
list(TRANSFORM parser_sources PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/src/)
add_library(cairn_fuzz_parsers STATIC ${parser_sources})
target_include_directories(cairn_fuzz_parsers PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/src
                           ${CMAKE_CURRENT_SOURCE_DIR})
target_compile_options(cairn_fuzz_parsers PUBLIC ${sanitizers} PRIVATE -fsanitize=fuzzer-no-link)
target_link_options(cairn_fuzz_parsers PUBLIC -fsanitize=address,undefined)
target_link_libraries(cairn_fuzz_parsers PUBLIC OpenSSL::Crypto PkgConfig::ISAL pugixml::pugixml
                      nlohmann_json::nlohmann_json Boost::system)

file(GLOB harnesses CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/*_fuzzer.cc)
set(fuzzers)
foreach(source ${harnesses})
  get_filename_component(name ${source} NAME_WE)
  add_executable(${name} ${source})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_libraries(${name} PRIVATE cairn_fuzz_parsers)
  list(APPEND fuzzers ${name})
endforeach()
