#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Clients generated from api/openapi.yaml, and the linters integrators run on it.
#
#   scripts/clients.sh generate   regenerate clients/go/iswigoclient/client.gen.go (oapi-codegen)
#                                 and clients/typescript/schema.d.ts (openapi-typescript)
#   scripts/clients.sh check      regenerate into a temporary directory and fail when the
#                                 committed files differ; compile both (go build, tsc);
#                                 lint with Spectral (spectral:oas) and Redocly: any error fails
#
# The tools' versions are pinned: oapi-codegen in OAPI_CODEGEN below (a Go module, cached in
# the module cache after its first run), the npm tools in .ci/npm/package-lock.json (installed
# with npm ci, from npm's cache when it has them). Run from anywhere; needs Go and Node ≥ 18.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN="${GOTOOLCHAIN:-go1.26.10}"
OAPI_CODEGEN=github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.8.2
BIN=.ci/npm/node_modules/.bin

npm_tools() {
  # npm ci only when the installed tree is not the locked one (it wipes node_modules).
  if ! cmp -s .ci/npm/package-lock.json .ci/npm/node_modules/.package-lock.json.ci 2>/dev/null; then
    (cd .ci/npm && npm ci --prefer-offline --no-audit --no-fund --loglevel=error)
    cp .ci/npm/package-lock.json .ci/npm/node_modules/.package-lock.json.ci
  fi
}

generate() { # generate DIR: write client.gen.go and schema.d.ts into DIR
  local dir=$1
  (cd clients/go/iswigoclient && go run "$OAPI_CODEGEN" -config oapi-codegen.yaml -o "$dir/client.gen.go" ../../../api/openapi.yaml)
  "$BIN/openapi-typescript" api/openapi.yaml -o "$dir/schema.d.ts" --silent
}

case "${1:-}" in
generate)
  npm_tools
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  generate "$tmp"
  cp "$tmp/client.gen.go" clients/go/iswigoclient/client.gen.go
  cp "$tmp/schema.d.ts" clients/typescript/schema.d.ts
  ;;
check)
  npm_tools
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  generate "$tmp"
  stale=0
  for f in clients/go/iswigoclient/client.gen.go clients/typescript/schema.d.ts; do
    if ! cmp -s "$tmp/$(basename "$f")" "$f"; then
      echo "$f is not what api/openapi.yaml generates: run scripts/clients.sh generate" >&2
      stale=1
    fi
  done
  [ "$stale" = 0 ]
  go build ./clients/...
  "$BIN/tsc" -p clients/typescript/tsconfig.json
  "$BIN/spectral" lint --ruleset .ci/spectral.yaml --fail-severity error api/openapi.yaml
  "$BIN/redocly" lint api/openapi.yaml --format stylish
  echo "clients: generated Go and TypeScript clients are current and compile; Spectral and Redocly report no error"
  ;;
*)
  echo "usage: $0 generate|check" >&2
  exit 2
  ;;
esac
