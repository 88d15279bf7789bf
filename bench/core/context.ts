import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BenchContext } from "./types";

export interface RunContext extends BenchContext {
  /** Runs every clean-up step (reverse order); safe to call twice. */
  close(): Promise<void>;
}

export function createContext(root: string): RunContext {
  const started = performance.now();
  const cleanups: (() => Promise<void> | void)[] = [];
  const shared = new Map<string, Promise<unknown>>();
  let closed = false;

  const ctx: RunContext = {
    root,
    log(message) {
      const t = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
      process.stderr.write(`[bench ${t}s] ${message}\n`);
    },
    tmpDir(prefix) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
      cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
      return dir;
    },
    onCleanup(step) {
      cleanups.push(step);
    },
    shared<T>(key: string, start: () => Promise<{ value: T; stop: () => Promise<void> }>): Promise<T> {
      let entry = shared.get(key) as Promise<T> | undefined;
      if (!entry) {
        entry = start().then(({ value, stop }) => {
          cleanups.push(stop);
          return value;
        });
        // A failed start is not cached: the next benchmark that needs it tries again.
        entry.catch(() => shared.delete(key));
        shared.set(key, entry);
      }
      return entry;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const step of cleanups.reverse()) {
        try {
          await step();
        } catch (err) {
          ctx.log(`clean-up step failed: ${(err as Error).message}`);
        }
      }
    },
  };
  return ctx;
}
