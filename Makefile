# The two commands of the README: `make run` and `make test`.
SWIFT ?= swift
RELEASE_BIN = .build/release/loadtree

.PHONY: run test deps build release bench clean

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product loadtree

# Builds in release and runs the demo.
run: release
	$(RELEASE_BIN) demo

# Tests run one at a time: the engine's tests run real schedules, and CPU-heavy property tests
# running beside them on a 2-core machine would starve their VUs.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --no-parallel

bench: release
	bash bench/run

clean:
	rm -rf .build
