# dpsdesk — see README.md. `make test` is the test command CI runs.
GO      ?= go
BIN     ?= dpsdesk
DEMO_DB ?=

.PHONY: build run test bench lint cross arm64 fuzz clean

build:
	$(GO) build -o $(BIN) .

# Opens the desk on a demo store in your data directory (created on first use).
run: build
	./$(BIN) --demo

# vet, the whole suite with the race detector (fuzz seed corpora included),
# the council desktops' platforms, so a change that breaks them fails, and
# the same figures on arm64 as on amd64.
test: cross arm64
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 20m ./...

cross:
	GOOS=windows GOARCH=amd64 $(GO) build -o /dev/null ./...
	GOOS=darwin GOARCH=arm64 $(GO) build -o /dev/null ./...

# The engine's tests and every scenario example on linux/arm64 under
# qemu-user, byte for byte the same as amd64 (.ci/arm64 says what it checks;
# without qemu-aarch64 it skips, saying so, except under CI).
arm64:
	GO=$(GO) ./.ci/arm64

# Every benchmark (the register filter's on one core), ending with the one
# table of measure, goal, figure and ratio that README.md copies.
bench:
	GO=$(GO) ./.ci/bench

lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "not gofmt-clean:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

# A short run of each fuzz target (the seed corpora already run in `make test`).
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime 30s ./engine/geo
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime 30s ./engine/scenario
	$(GO) test -run '^$$' -fuzz '^FuzzRegisterCSV$$' -fuzztime 30s ./store
	$(GO) test -run '^$$' -fuzz '^FuzzBidsCSV$$' -fuzztime 30s ./store
	$(GO) test -run '^$$' -fuzz '^FuzzOpenCorrupted$$' -fuzztime 30s ./store
	$(GO) test -run '^$$' -fuzz '^FuzzParseUsers$$' -fuzztime 30s ./ui/serve
	$(GO) test -run '^$$' -fuzz '^FuzzReader$$' -fuzztime 30s ./engine/gias

clean:
	rm -f $(BIN)
