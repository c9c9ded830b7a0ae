# dangjian — two commands set everything up: `make run` and `make test`.
GO      ?= go
BIN     := bin/dangjian
# Where `make run` keeps its data and listens: `make run DB=… ADDR=…`, or the DANGJIAN_DB,
# DANGJIAN_ADDR and DANGJIAN_DATA_DIR that the binary itself reads.
DB       ?= $(or $(DANGJIAN_DB),data/dangjian.db)
ADDR     ?= $(or $(DANGJIAN_ADDR),127.0.0.1:8080)
DATA_DIR ?= $(or $(DANGJIAN_DATA_DIR),data)
GO_SRC  := $(shell find cmd internal web/web.go -name '*.go' 2>/dev/null) $(shell find internal -name '*.sql' 2>/dev/null) web/placeholder.html go.mod go.sum
WEB_SRC := $(shell find web/src web/index.html web/package.json web/package-lock.json web/vite.config.ts web/tsconfig.json -type f 2>/dev/null)
IS_PG    = case "$(DB)" in postgres://*|postgresql://*) true;; *) false;; esac

.PHONY: run demo reset build web test test-go test-web vet fuzz clean

## run: build, load the demo district on first run (SQLite), serve on http://127.0.0.1:8080 (ADDR); Ctrl-C stops it
run: build
	@if ! $(IS_PG) && [ ! -f "$(DB)" ]; then ./$(BIN) demo --db "$(DB)" --data-dir "$(DATA_DIR)"; fi
	./$(BIN) serve --db "$(DB)" --addr "$(ADDR)" --data-dir "$(DATA_DIR)"

## demo: load the demo district into DB (an empty one; a PostgreSQL database is created if missing)
demo: build
	./$(BIN) demo --db "$(DB)" --data-dir "$(DATA_DIR)"

## reset: delete the SQLite database DB and its demo account list; the next `make run` loads a new demo
reset:
	@if $(IS_PG); then echo "DB is a PostgreSQL database: drop it (dropdb NAME), then make demo DB=…"; exit 1; fi
	rm -f "$(DB)" "$(DB)-wal" "$(DB)-shm" "$(DB).demo-accounts.txt"

## build: the web application (when stale) and the binary with it embedded
build: $(BIN)

$(BIN): $(GO_SRC) web/dist/.stamp
	$(GO) build -o $(BIN) ./cmd/dangjian

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund

web/dist/.stamp: $(WEB_SRC) | web/node_modules/.package-lock.json
	cd web && npm run build
	touch web/dist/.stamp

web: web/dist/.stamp

## test: vet, Go tests (SQLite always, PostgreSQL when DANGJIAN_TEST_POSTGRES is set), web tests
test: vet test-go test-web

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l cmd internal web/web.go)" || (echo "gofmt needed:"; gofmt -l cmd internal web/web.go; exit 1)

test-go:
	$(GO) test -count=1 -timeout 40m ./...

test-web: $(BIN)
	cd web && npm run test:unit
	cd web && DANGJIAN_BIN=../$(BIN) npm run test:e2e

## fuzz: run each fuzz target for a while (CI runs their seeds as part of test-go)
fuzz:
	$(GO) test -run=NONE -fuzz=FuzzCheckID -fuzztime=30s ./internal/member/

## clean: the binary and the built web application (web/dist keeps its tracked .gitkeep)
clean:
	rm -rf bin
	find web/dist -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
