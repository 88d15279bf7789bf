#!/usr/bin/env bash
# Installs the Synapse homeserver into a project-local virtualenv (.venv/synapse).
# Idempotent: when the pinned version is already there, it returns at once.
#
# Environment:
#   PYTHON             interpreter used to create the venv (default: python3; needs >= 3.10)
#   SYNAPSE_VENV_DIR   where the venv lives (default: <repo>/.venv/synapse)
#
# Package indexes come from the machine's pip configuration; none is set here.
set -euo pipefail

SYNAPSE_VERSION="1.163.2"
# psycopg2-binary ships a wheel with libpq inside; plain psycopg2 would need a
# compiler and the libpq headers on every machine.
PSYCOPG2_VERSION="2.9.13"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SYNAPSE_VENV_DIR:-$ROOT/.venv/synapse}"
PYTHON="${PYTHON:-python3}"

fail() {
  echo "install-synapse: $*" >&2
  exit 1
}

# True when the venv has the pinned Synapse with the OIDC and Postgres drivers.
installed_ok() {
  [[ -x "$VENV/bin/python" ]] || return 1
  "$VENV/bin/python" - "$SYNAPSE_VERSION" <<'EOF' >/dev/null 2>&1
import sys
from importlib.metadata import version
assert version("matrix-synapse") == sys.argv[1]
import authlib, psycopg2  # the [oidc] extra and the postgres driver
EOF
}

if installed_ok; then
  echo "Synapse $SYNAPSE_VERSION already installed ($VENV)"
  exit 0
fi

mkdir -p "$(dirname "$VENV")"
# Two test runs starting at once must not pip-install into the same venv together.
exec 9>"$(dirname "$VENV")/.install-synapse.lock"
if command -v flock >/dev/null 2>&1; then
  flock 9
  if installed_ok; then
    echo "Synapse $SYNAPSE_VERSION already installed ($VENV)"
    exit 0
  fi
fi

command -v "$PYTHON" >/dev/null 2>&1 ||
  fail "'$PYTHON' was not found. Install Python >= 3.10 or set PYTHON=/path/to/python3."

"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' ||
  fail "Synapse $SYNAPSE_VERSION needs Python >= 3.10, but '$PYTHON' is $("$PYTHON" -c 'import platform; print(platform.python_version())')."

"$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1 ||
  fail "'$PYTHON' cannot create virtualenvs (module venv/ensurepip missing). On Debian: apt-get install python3-venv."

started=$(date +%s)

# A venv whose interpreter no longer runs (Python upgraded or moved) is rebuilt.
if [[ -d "$VENV" ]] && ! "$VENV/bin/python" -c 'pass' >/dev/null 2>&1; then
  echo "Removing broken virtualenv $VENV"
  rm -rf "$VENV"
fi

if [[ ! -x "$VENV/bin/python" ]]; then
  echo "Creating virtualenv $VENV"
  "$PYTHON" -m venv "$VENV" || fail "could not create the virtualenv at $VENV."
fi

echo "Installing matrix-synapse[oidc]==$SYNAPSE_VERSION and psycopg2-binary==$PSYCOPG2_VERSION (this takes a minute or two)"
"$VENV/bin/python" -m pip install --quiet \
  "matrix-synapse[oidc]==$SYNAPSE_VERSION" \
  "psycopg2-binary==$PSYCOPG2_VERSION" ||
  fail "pip could not install matrix-synapse[oidc]==$SYNAPSE_VERSION / psycopg2-binary==$PSYCOPG2_VERSION into $VENV (see pip's output above; check network access to the Python package index and your pip configuration)."

installed_ok ||
  fail "the packages installed, but '$VENV/bin/python' cannot import synapse $SYNAPSE_VERSION, authlib and psycopg2."

echo "Synapse $SYNAPSE_VERSION installed in $(( $(date +%s) - started ))s ($VENV)"
