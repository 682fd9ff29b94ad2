# The two commands: `make demo` and `make test`. Both install what is missing, build, then work.
BUILD ?= build
JOBS ?= $(shell nproc)
DEMO_ARCHIVE ?= demo-archive

.PHONY: deps build demo test clean

deps:
	@./scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@./scripts/demo.sh $(BUILD)/quire $(DEMO_ARCHIVE)

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD) $(DEMO_ARCHIVE)

fuzz:
	@./fuzz/run.sh
.PHONY: fuzz
