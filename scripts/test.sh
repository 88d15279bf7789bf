#!/usr/bin/env bash
# `npm test`: installs what is missing, then runs every test phase and prints
# how long each took. Any failing phase fails the run (after the summary).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

declare -a SUMMARY=()
FAILED=0

phase() {
  local name="$1"; shift
  printf '\n\033[1m━━ %s ━━\033[0m\n' "$name"
  local start=$SECONDS
  if "$@"; then
    SUMMARY+=("$(printf '%-24s %5ss  ok' "$name" $((SECONDS - start)))")
  else
    SUMMARY+=("$(printf '%-24s %5ss  FAILED' "$name" $((SECONDS - start)))")
    FAILED=1
  fi
}

summary() {
  printf '\n\033[1mTest phases\033[0m\n'
  printf '  %s\n' "${SUMMARY[@]}"
  printf '  %-24s %5ss\n' "total" "$SECONDS"
}

phase "install" bash scripts/bootstrap.sh --with-test-tools
if [[ $FAILED -ne 0 ]]; then summary; exit 1; fi

export PATH="$ROOT/node_modules/.bin:$PATH"
export NEXT_TELEMETRY_DISABLED=1
export CI="${CI:-}"

phase "typecheck" tsc --noEmit -p .
phase "unit tests" vitest run --project unit
phase "portal build" tsx scripts/build-portal.ts
phase "integration tests" vitest run --project integration
phase "federation tests" vitest run --project federation
phase "end-to-end tests" vitest run --project e2e
phase "benchmark smoke run" vitest run --project bench-smoke
phase "interop (Keycloak)" bash -c "bash scripts/keycloak/install-keycloak.sh >/dev/null && vitest run --project interop"

summary
exit $FAILED
