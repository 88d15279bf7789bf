#!/usr/bin/env bash
# Installs what the project needs and is missing: Node packages (which bring
# Node 24 itself), the homeserver, and - for tests - Chromium and PostgreSQL.
# Idempotent: a second run only checks. Usage: bootstrap.sh [--with-test-tools]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

step() { printf '\n\033[1m▶ %s\033[0m\n' "$*"; }
fail() { printf '\n\033[31m✖ %s\033[0m\n' "$*" >&2; exit 1; }

ensure_node_modules() {
  local stamp="node_modules/.stadtfunk-lock.sha256" want have=""
  want="$(sha256sum package-lock.json | cut -d' ' -f1)"
  [[ -f "$stamp" ]] && have="$(cat "$stamp")"
  if [[ -x node_modules/.bin/node && "$want" == "$have" ]]; then
    echo "Node packages up to date ($(node_modules/.bin/node --version))"
    return
  fi
  command -v npm >/dev/null || fail "npm not found: install Node.js with npm (any version >= 18; the project brings Node 24 itself)"
  step "Installing Node packages (npm ci) - this includes Node 24"
  npm ci --no-audit --no-fund || fail "npm ci failed (see above)"
  [[ -x node_modules/.bin/node ]] || fail "node_modules/.bin/node missing after npm ci: the 'node' package did not install its binary"
  echo "$want" > "$stamp"
}

# Debian packages the tests need. As root they are installed; otherwise we name them.
ensure_debian_packages() {
  local missing=()
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
  [[ ${#missing[@]} -eq 0 ]] && { echo "Debian packages present: chromium, postgresql"; return; }
  if [[ $(id -u) -ne 0 ]]; then
    fail "Missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}"
  fi
  step "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || fail "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || fail "apt-get install ${missing[*]} failed"
  # The Debian package starts a cluster of its own; the tests run their own throwaway server.
  if command -v pg_lsclusters >/dev/null; then
    pg_lsclusters -h 2>/dev/null | while read -r ver name _; do pg_ctlcluster "$ver" "$name" stop 2>/dev/null || true; done
  fi
}

ensure_node_modules
bash scripts/install-synapse.sh || fail "Installing the homeserver (Synapse) failed (see above)"
if [[ "${1:-}" == "--with-test-tools" ]]; then
  ensure_debian_packages
fi
