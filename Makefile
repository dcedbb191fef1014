# The two commands a new machine needs: `make run` and `make test`.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
LISTEN ?= 127.0.0.1:9000
DATA_DIR ?= ./data

.PHONY: deps build run test unit-test integration-test clean

deps:
	@scripts/install-deps.sh

$(BUILD_DIR)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	$(BUILD_DIR)/cairn serve --listen $(LISTEN) --data-dir $(DATA_DIR)

unit-test: build
	cd $(BUILD_DIR) && ctest --output-on-failure

integration-test: build
	@scripts/install-test-deps.sh
	tests/integration/run.sh $(BUILD_DIR)/cairn

test: unit-test integration-test

clean:
	rm -rf $(BUILD_DIR)
