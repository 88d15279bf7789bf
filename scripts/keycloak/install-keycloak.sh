#!/usr/bin/env bash
# Installs the pinned Keycloak server (org.keycloak:keycloak-quarkus-dist) into
# .cache/keycloak/<version> for the SSO interop tests, and prepares it for
# `kc.sh start-dev` once. A second run finds the ready marker and returns at
# once, without Maven and without network.
#
# Output: the last two lines are KEYCLOAK_HOME=<dir> and KEYCLOAK_JAVA_HOME=<dir>
# (tests/setup/keycloak.ts reads them).
#
# Environment:
#   KEYCLOAK_CACHE_DIR   parent of the per-version directories (default: <repo>/.cache/keycloak)
#   KEYCLOAK_JAVA_HOME   a JDK >= 21 (default: the first one found under /usr/lib/jvm, or JAVA_HOME)
#
# The artifact comes through Maven with the machine's own settings; no repository is named here.
set -euo pipefail

KEYCLOAK_VERSION="26.7.3"
ARTIFACT="org.keycloak:keycloak-quarkus-dist:${KEYCLOAK_VERSION}:tar.gz"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${KEYCLOAK_CACHE_DIR:-$ROOT/.cache/keycloak}"
KC_HOME="$CACHE/$KEYCLOAK_VERSION"
READY="$KC_HOME/.stadtfunk-ready"

fail() {
  echo "install-keycloak: $*" >&2
  exit 1
}

java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

# Keycloak 26 needs Java 21+, while the machine's default java may be older.
find_java() {
  local candidate
  for candidate in "${KEYCLOAK_JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/temurin-21* /usr/lib/jvm/* "${JAVA_HOME:-}"; do
    [[ -n "$candidate" && -x "$candidate/bin/java" ]] || continue
    local major
    major="$(java_major "$candidate")"
    if [[ -n "$major" && "$major" -ge 21 ]]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

JAVA_DIR="$(find_java)" ||
  fail "no JDK >= 21 found (Keycloak $KEYCLOAK_VERSION needs one). Install one or set KEYCLOAK_JAVA_HOME."

report() {
  echo "KEYCLOAK_HOME=$KC_HOME"
  echo "KEYCLOAK_JAVA_HOME=$JAVA_DIR"
}

if [[ -f "$READY" ]]; then
  echo "Keycloak $KEYCLOAK_VERSION already installed ($KC_HOME)"
  report
  exit 0
fi

mkdir -p "$CACHE"
# Two test runs starting at once must not unpack or augment the same directory together.
exec 9>"$CACHE/.install.lock"
if command -v flock >/dev/null 2>&1; then
  flock 9
  if [[ -f "$READY" ]]; then
    echo "Keycloak $KEYCLOAK_VERSION already installed ($KC_HOME)"
    report
    exit 0
  fi
fi

command -v mvn >/dev/null 2>&1 || fail "'mvn' was not found; it fetches $ARTIFACT. Install Maven (Debian: apt-get install maven)."

started=$(date +%s)
WORK="$(mktemp -d "$CACHE/.download-XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

echo "Fetching $ARTIFACT with Maven"
# Run from the empty work dir so no pom.xml nearby changes what Maven does.
(cd "$WORK" && mvn -B -q -ntp -Dstyle.color=never dependency:copy -Dartifact="$ARTIFACT" -DoutputDirectory="$WORK") ||
  fail "Maven could not fetch $ARTIFACT (see Maven's output above; check the machine's Maven settings and network access to Maven Central)."
ARCHIVE="$WORK/keycloak-quarkus-dist-$KEYCLOAK_VERSION.tar.gz"
[[ -f "$ARCHIVE" ]] || fail "Maven reported success but $ARCHIVE is missing."
echo "Downloaded $(du -m "$ARCHIVE" | cut -f1) MiB in $(( $(date +%s) - started ))s"

tar -xzf "$ARCHIVE" -C "$WORK" || fail "could not unpack $ARCHIVE."
[[ -x "$WORK/keycloak-$KEYCLOAK_VERSION/bin/kc.sh" ]] ||
  fail "$ARCHIVE does not contain keycloak-$KEYCLOAK_VERSION/bin/kc.sh."
rm -rf "$KC_HOME"
mv "$WORK/keycloak-$KEYCLOAK_VERSION" "$KC_HOME"

# The distribution is built for production mode; the first `start-dev` rebuilds
# it (about 20 s) and writes the result into lib/quarkus. Doing that here, once,
# keeps the tests from rewriting the cache while they run. `build` refuses the
# dev profile, so start the server and stop it once the rebuilt one launches.
echo "Preparing Keycloak for development mode (one-time rebuild, 20-60 s)"
LOG="$WORK/prepare.log"
env -i PATH="$PATH" HOME="${HOME:-/tmp}" JAVA_HOME="$JAVA_DIR" \
  setsid "$KC_HOME/bin/kc.sh" start-dev --http-port 0 --http-host 127.0.0.1 >"$LOG" 2>&1 &
KC_PID=$!
stop_prepare() {
  kill -TERM -- "-$KC_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 -- "-$KC_PID" 2>/dev/null || return 0; sleep 0.2; done
  kill -KILL -- "-$KC_PID" 2>/dev/null || true
}
trap 'stop_prepare; rm -rf "$WORK"' EXIT

deadline=$(( $(date +%s) + 600 ))
until grep -q "Running the server in development mode" "$LOG"; do
  if ! kill -0 "$KC_PID" 2>/dev/null; then
    tail -n 30 "$LOG" >&2
    fail "Keycloak exited while preparing development mode (output above)."
  fi
  if (( $(date +%s) > deadline )); then
    tail -n 30 "$LOG" >&2
    fail "Keycloak did not finish preparing development mode within 600 s (output above)."
  fi
  sleep 0.5
done
stop_prepare
wait "$KC_PID" 2>/dev/null || true
grep -q "Quarkus augmentation completed" "$LOG" ||
  fail "Keycloak started without rebuilding for development mode; $KC_HOME may not be a fresh distribution."
# The short start created an H2 database; every test run brings its own.
rm -rf "$KC_HOME/data"

touch "$READY"
echo "Keycloak $KEYCLOAK_VERSION installed in $(( $(date +%s) - started ))s ($KC_HOME)"
report
