import { defineConfig } from "drizzle-kit";

// Only `generate` is used: migrations are committed SQL applied at start, never `push`.
// New migrations: `bash scripts/new-migration.sh <name> [drizzle/tables/<feature>.ts]`.
export default defineConfig({
  dialect: "postgresql",
  schema: ["./drizzle/schema.ts", "./drizzle/tables/*.ts"],
  out: "./drizzle/migrations",
});
