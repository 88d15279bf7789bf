#!/usr/bin/env bash
# The one command that starts the whole suite: `npm start`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/bootstrap.sh
export PATH="$ROOT/node_modules/.bin:$PATH"
export NEXT_TELEMETRY_DISABLED=1
# Without a configured identity provider, the stack runs on the embedded demo provider and demo users.
if [[ -z "${OIDC_ISSUER:-}" ]]; then export STADTFUNK_DEMO="${STADTFUNK_DEMO:-true}"; fi
exec node "$ROOT/node_modules/tsx/dist/cli.mjs" scripts/stack.ts "$@"
