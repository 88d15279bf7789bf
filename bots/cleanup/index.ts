import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Db } from "../../lib/db/client";
import { createLifecycleHomeserver, type LifecycleHomeserver } from "../../lib/lifecycle/lifecycle-homeserver";
import type { Logger } from "../../lib/log";
import type { BotClient } from "../shared/homeserver";
import type { Outbox } from "../shared/outbox";
import type { RetryOptions } from "../shared/retry";
import { runCleanupOnce, type CleanupDeps, type CleanupReport } from "./cleanup-run";

/**
 * The cleanup bot: every `intervalMs` one pass of announcements, deletions
 * and guest erasures (never two passes at once in one process; other
 * processes are kept apart by the job leases). Only it holds the homeserver
 * admin token among the bots.
 */
export interface CleanupBotOptions {
  db: Db;
  bot: Pick<BotClient, "userId" | "sendEvent" | "sendState">;
  outbox: Outbox;
  homeserver: { homeserverUrl: string; adminToken: string; asToken: string; fetchFn?: typeof fetch };
  portalUrl: string;
  logger: Logger;
  now?: () => number;
  intervalMs: number;
  parallel: number;
  retry?: RetryOptions;
  /** Replaces the homeserver calls (benchmarks and fault tests). */
  hs?: LifecycleHomeserver;
}

export interface CleanupBot {
  /** One pass now (waits for a running one first). */
  runOnce(): Promise<CleanupReport>;
  stop(): Promise<void>;
}

export const CLEANUP_LEASE_MS = 10 * 60_000;

export function cleanupDeps(opts: Omit<CleanupBotOptions, "intervalMs">): CleanupDeps {
  const now = opts.now ?? Date.now;
  return {
    db: opts.db,
    hs: opts.hs ?? createLifecycleHomeserver({ ...opts.homeserver, botUserId: opts.bot.userId }),
    outbox: opts.outbox,
    bot: opts.bot,
    retentionApplied: new Map(),
    portalUrl: opts.portalUrl,
    log: opts.logger,
    now: () => new Date(now()),
    workerId: `${hostname()}/${process.pid}/${randomBytes(4).toString("hex")}`,
    parallel: opts.parallel,
    leaseMs: CLEANUP_LEASE_MS,
    pollIntervalMs: 250,
    maxPollMs: 5 * 60_000,
    retry: opts.retry,
  };
}

export function start(opts: CleanupBotOptions): CleanupBot {
  const deps = cleanupDeps(opts);
  let running: Promise<CleanupReport> | undefined;
  let isStopped = false;
  const runOnce = async (): Promise<CleanupReport> => {
    while (running) await running.catch(() => undefined);
    running = runCleanupOnce(deps).finally(() => (running = undefined));
    return running;
  };
  const tick = () => {
    if (isStopped || running) return;
    runOnce().then(
      (r) => {
        if (r.announced + r.roomsDeleted + r.guestsErased + r.failed + r.retried > 0) opts.logger.info(r, "cleanup pass done");
      },
      (err: unknown) => opts.logger.warn({ err: (err as Error).message }, "cleanup pass failed; next interval retries"),
    );
  };
  const timer = setInterval(tick, opts.intervalMs);
  timer.unref?.();
  return {
    runOnce,
    async stop() {
      isStopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
