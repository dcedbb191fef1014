# Micro-benchmarks of the server's hot paths (bench/micro/*.cc): SigV4 verification, aws-chunked
# decoding, the digests, ListObjectsV2 rendering and the SQLite metadata engine. Built when Google
# Benchmark is installed (Debian: libbenchmark-dev) and CAIRN_BUILD_BENCHMARKS is on, so that an
# API change that breaks them shows in the ordinary build; never run by `make test`. Run
# build/cairn_micro_bench (bench/run.sh does, with --benchmark_format=json).
option(CAIRN_BUILD_BENCHMARKS "Build the micro-benchmarks when Google Benchmark is found" ON)
if(CAIRN_BUILD_BENCHMARKS)
  find_package(benchmark QUIET)
endif()
if(CAIRN_BUILD_BENCHMARKS AND benchmark_FOUND AND TARGET cairn_s3 AND TARGET cairn_client)
  file(GLOB micro_benchmarks CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/bench/micro/*.cc)
  add_executable(cairn_micro_bench ${micro_benchmarks})
  target_link_libraries(cairn_micro_bench PRIVATE cairn_s3 cairn_client benchmark::benchmark_main)
endif()
