#!/usr/bin/env bash
# Generates one migration from the committed table files plus the named one, and commits both at once.
# Usage: bash scripts/new-migration.sh <migration-name> [drizzle/tables/<feature>.ts]
# Serialised by a lock, so two people working in one checkout never fold each other's
# unfinished tables into their migration.
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: new-migration.sh <name> [drizzle/tables/<feature>.ts]}"
own="${2:-}"
export PATH="$PWD/node_modules/.bin:$PATH"
exec 9>/tmp/stadtfunk-migrations.lock
flock 9
mapfile -t tables < <(git ls-files 'drizzle/tables/*.ts')
[[ -n "$own" ]] && tables+=("$own")
config="$(mktemp --suffix=.ts -p . .drizzle-config-XXXX)"
trap 'rm -f "$config"' EXIT
schema_list="\"./drizzle/schema.ts\""
for t in "${tables[@]}"; do schema_list+=", \"./$t\""; done
cat > "$config" <<CFG
import { defineConfig } from "drizzle-kit";
export default defineConfig({ dialect: "postgresql", schema: [${schema_list}], out: "./drizzle/migrations" });
CFG
drizzle-kit generate --config "$config" --name "$name"
if [[ -z "$(git status --porcelain drizzle/migrations)" ]]; then echo "No schema changes: nothing committed"; exit 0; fi
git add drizzle/migrations drizzle/schema.ts ${own:+"$own"}
git commit -qm "Database migration: $name" -- drizzle/migrations drizzle/schema.ts ${own:+"$own"}
git log --oneline -1
