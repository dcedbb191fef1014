# The two commands a new machine needs: `make run` and `make test`.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
LISTEN ?= 127.0.0.1:9000
DATA_DIR ?= ./data
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60

.PHONY: deps build build-server run test unit-test integration-test client-test cli-test examples-test browser-test bench clean \
	fuzz-build fuzz fuzz-smoke format format-check crash-test soak test-asan test-tsan test-cluster

deps:
	@scripts/install-deps.sh

# WERROR=ON (CI): compiler warnings fail the build (CMakeLists.txt, CAIRN_WERROR).
WERROR ?= OFF

$(BUILD_DIR)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAIRN_WERROR=$(WERROR)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

# What serving needs and nothing more: the cairn binary, the dashboard inside it. The tests, the
# examples and the benchmarks are built by `make build` (and so by every test target).
build-server: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS) --target cairn

run: build-server
	$(BUILD_DIR)/cairn serve --listen $(LISTEN) --data-dir $(DATA_DIR)

unit-test: build
	cd $(BUILD_DIR) && ctest --output-on-failure

integration-test: build
	@scripts/install-test-deps.sh
	tests/integration/run.sh $(BUILD_DIR)/cairn

# The C++ client library against a live server, plus an install and a find_package(cairn) consumer.
client-test: build
	@scripts/install-test-deps.sh
	tests/client/run.sh $(BUILD_DIR)

# The `cairn` command line against a live server, and --local on a stopped server's data dir.
cli-test: build
	@scripts/install-test-deps.sh
	tests/cli/run.sh $(BUILD_DIR)/cairn

# Every flow of the R2 upload guide, as a runnable example (C++, JavaScript, Python, CLI, rclone).
examples-test: build
	@scripts/install-test-deps.sh
	tests/examples/run.sh $(BUILD_DIR)

# The dashboard and browser uploads from another origin, in Debian's Chromium driven by Playwright.
browser-test: build
	@scripts/install-test-deps.sh
	tests/browser/run.sh $(BUILD_DIR)/cairn

# The crash harness (tests/crash/): a mixed workload from several threads, kill -9 at a random
# moment, restart on the same data dir; nothing acknowledged may be lost, nothing unacknowledged
# half-visible, no orphan blob or temporary file left. `make crash-test` (part of `make test`) runs
# 20 iterations, `make soak` 1,000 (not part of `make test`; its summary is the last line, the whole
# report in $(BUILD_DIR)/crash-soak.log). CRASH_SEED=n repeats a run printed with seed n.
# crash-test also runs CLUSTER_CRASH_ITERATIONS of the harness on a gateway whose metadata is on
# PostgreSQL when PostgreSQL can be started here (it says loudly when it cannot; test-cluster fails).
CRASH_SEED ?=
CLUSTER_CRASH_ITERATIONS ?= 5

crash-test: build
	tests/crash/run.sh $(BUILD_DIR)/cairn 20 $(CRASH_SEED)
	tests/crash/run.sh --meta postgres --if-available $(BUILD_DIR)/cairn \
	  $(CLUSTER_CRASH_ITERATIONS) $(CRASH_SEED)

soak: build
	bash -o pipefail -c \
	  'tests/crash/run.sh $(BUILD_DIR)/cairn 1000 $(CRASH_SEED) 2>&1 | tee $(BUILD_DIR)/crash-soak.log'

test: unit-test integration-test client-test cli-test examples-test browser-test fuzz-smoke crash-test

# Several gateways on one PostgreSQL metadata store and one blob store (CAIRN_TEST_BLOB_URL, else
# a shared file:// directory): the cluster integration suites and the crash harness on a gateway
# over PostgreSQL, which they start themselves (Debian's postgresql binaries, make deps). Without
# PostgreSQL they fail here; `make test` runs them too, or says why it could not.
test-cluster: build-server
	@scripts/install-test-deps.sh
	tests/integration/run.sh --cluster $(BUILD_DIR)/cairn
	tests/crash/run.sh --meta postgres $(BUILD_DIR)/cairn $(CLUSTER_CRASH_ITERATIONS) $(CRASH_SEED)

# The libFuzzer harnesses of fuzz/ (every parser of untrusted bytes), built with clang, ASan and
# UBSan in a build directory of their own (cmake/fuzz.cmake). `make fuzz` runs each for
# FUZZ_SECONDS on its corpus; `make fuzz-smoke` (part of `make test`) for 5 s each. A finding
# fails the run and names its reproducer.
fuzz-build:
	@scripts/install-deps.sh
	@scripts/install-fuzz-deps.sh
	cmake -S . -B $(FUZZ_BUILD_DIR) -G Ninja -DCAIRN_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++-14 \
	  -DCMAKE_BUILD_TYPE=Debug >/dev/null
	cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS)

fuzz: fuzz-build
	fuzz/run.sh $(FUZZ_BUILD_DIR) $(FUZZ_SECONDS)

fuzz-smoke: fuzz-build
	fuzz/run.sh $(FUZZ_BUILD_DIR) 5

# cairn and its unit tests built with GCC 12 and AddressSanitizer + UBSan (build-asan) or
# ThreadSanitizer (build-tsan), each in its own build directory (cmake/sanitizers.cmake); then the
# unit tests and an integration subset run, and any sanitizer report, from a test binary or from a
# server the harness started, fails the run (tests/sanitizers/run.sh). CI runs test-asan.
ASAN_BUILD_DIR ?= build-asan
TSAN_BUILD_DIR ?= build-tsan

test-asan:
	@scripts/install-deps.sh
	@scripts/install-test-deps.sh
	JOBS=$(JOBS) tests/sanitizers/run.sh asan $(ASAN_BUILD_DIR)

test-tsan:
	@scripts/install-deps.sh
	@scripts/install-test-deps.sh
	JOBS=$(JOBS) tests/sanitizers/run.sh tsan $(TSAN_BUILD_DIR)

# The C++ tree as .clang-format says, with Debian's clang-format 14: `make format` rewrites every
# tracked .cc/.h file, `make format-check` (run by CI) lists the files that differ and fails.
format:
	@scripts/install-format-deps.sh
	git ls-files '*.cc' '*.h' | xargs clang-format-14 -i

format-check:
	@scripts/install-format-deps.sh
	@git ls-files '*.cc' '*.h' | xargs clang-format-14 --dry-run -Werror 2>&1 | \
	  grep 'error: code should be clang-formatted' | cut -d: -f1 | sort -u | \
	  sed 's/^/not formatted: /' | \
	  { if grep .; then echo "run: make format"; exit 1; fi; }

# The performance suite (not part of `make test`): cairn against nginx on loopback, written to
# bench/results/ and docs/performance.md. BENCH_QUICK=1 for a two-minute smoke run.
bench: build
	bench/run.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
