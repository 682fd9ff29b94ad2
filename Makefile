# The two commands: `make demo` and `make test`. Both install what is missing, build, then work.
BUILD ?= build
JOBS ?= $(shell nproc)
DEMO_ARCHIVE ?= demo-archive
# A test still running after this many seconds has hung: it fails, and the suite goes on.
TEST_TIMEOUT ?= 1200

.PHONY: deps build demo test bench clean

deps:
	@./scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@./scripts/demo.sh $(BUILD)/quire $(DEMO_ARCHIVE)

test: build
	@cd $(BUILD) && ctest --output-on-failure --timeout $(TEST_TIMEOUT) -j $(JOBS)

# The benchmarks against the peers (not part of `make test`; see README.md, "Benchmarks").
bench: build
	@./scripts/install-deps.sh bench
	@cmake --build $(BUILD) --target bench_capture bench_search bench_serve bench_scan -j $(JOBS)
	$(BUILD)/bench/capture/bench_capture --fold
	$(BUILD)/bench/search/bench_search --docs 10000
	$(BUILD)/bench/serve/bench_serve
	$(BUILD)/bench/scan/bench_scan --runs 3

clean:
	rm -rf $(BUILD) $(DEMO_ARCHIVE)

fuzz:
	@./fuzz/run.sh
.PHONY: fuzz
