# Sanitizer builds of cairn and its unit tests with the project's own compiler (GCC 12), so the
# sanitizers check the code GCC produces, coroutine frames included (the code carries GCC 12
# coroutine workarounds; see `grep -rn "GCC 12" src`). One build directory per sanitizer:
#   cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCAIRN_SANITIZE=address,undefined
#   cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCAIRN_SANITIZE=thread
# `make test-asan` / `make test-tsan` configure, build and run them (scripts/sanitizer-test.sh).
# Debug keeps asserts on; -O1 keeps the build and the run bearable and the stacks readable.
# Every finding aborts: ASan halts by default, UBSan is made to (-fno-sanitize-recover), and
# TSan is told to by TSAN_OPTIONS=halt_on_error=1 at run time.
set(CAIRN_SANITIZE "" CACHE STRING "Sanitizers to build with: address,undefined or thread")
if(CAIRN_SANITIZE)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    message(FATAL_ERROR "CAIRN_SANITIZE checks the code GCC produces: use g++ (12)")
  endif()
  set(sanitizer_flags -fsanitize=${CAIRN_SANITIZE} -fno-omit-frame-pointer -g -O1)
  if(CAIRN_SANITIZE MATCHES "undefined")
    # No vptr check: it reads the vtable through a pipe (sanitizer_common's
    # IsAccessibleMemoryRange), so in a process out of file descriptors, which test_connections'
    # descriptor flood makes cairn on purpose, it reports every virtual call as "invalid vptr"
    # (seen on the accept loop's spdlog warning). ASan still catches calls on freed objects.
    list(APPEND sanitizer_flags -fno-sanitize=vptr -fno-sanitize-recover=all)
  endif()
  if(CAIRN_SANITIZE MATCHES "thread")
    # GCC warns that TSan cannot see std::atomic_thread_fence; Asio's and libstdc++'s fences
    # pair with atomics TSan does see, so the warning is noise in every file.
    list(APPEND sanitizer_flags -Wno-tsan)
  endif()
  add_compile_options(${sanitizer_flags})
  add_link_options(-fsanitize=${CAIRN_SANITIZE})
endif()
