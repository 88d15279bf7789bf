#!/usr/bin/env bash
# `npm run bench`: installs what is missing (as `npm test` does), then runs the
# benchmark suite against its own throwaway servers. Arguments go to
# bench/run.ts: --smoke (tiny sizes), --only B6,B7, --out file.json.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/bootstrap.sh --with-test-tools

export PATH="$ROOT/node_modules/.bin:$PATH"
export NEXT_TELEMETRY_DISABLED=1
exec tsx bench/run.ts "$@"
