import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { parseRetryAfterMs, withRetry } from "../../../bots/shared/retry";
import { parseConfig, type AppConfig } from "../../../lib/config/load";
import { openDb, runMigrations, type DbHandle } from "../../../lib/db/client";
import { startEmbeddedDb } from "../../../lib/db/embedded-server";
import { freePort } from "../../../scripts/stack/ports";
import type { TestUser } from "./matrix-users";

/**
 * What the bots' integration tests share: the bots' config pointed at the
 * throwaway Synapse of global-setup.ts, client-server calls as test users, and
 * waiting for what the bots do asynchronously.
 */

export const hs = inject("homeserverUrl");
export const enc = encodeURIComponent;
export type Json = Record<string, unknown>;

/** The bots' config against the test homeserver; `extra` adds keys or, with undefined, leaves a key at its default. */
export function botsConfig(extra: Record<string, string | undefined> = {}): AppConfig {
  return parseConfig(
    {
      STADTFUNK_DATA_DIR: inject("dataDir"),
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      MATRIX_SERVER_NAME: inject("serverName"),
      MATRIX_HOMESERVER_URL: hs,
      APPSERVICE_ID: inject("appserviceId"),
      APPSERVICE_PORT: String(inject("appservicePort")),
      APPSERVICE_URL: inject("appserviceUrl"),
      APPSERVICE_USER_PREFIX: inject("userPrefix"),
      APPSERVICE_AS_TOKEN: inject("asToken"),
      APPSERVICE_HS_TOKEN: inject("hsToken"),
      JITSI_AUTH_MODE: "none",
      JITSI_DOMAIN: "meet.stadt.example",
      ...extra,
    },
    ["APPSERVICE_AS_TOKEN", "APPSERVICE_HS_TOKEN"],
  );
}

/** A call as a test user; the homeserver's rate limits apply to them, so a 429 is waited out as the bots do. */
export async function api(user: TestUser, method: string, apiPath: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const once = async () => {
    const res = await fetch(`${hs}/_matrix/client/v3${apiPath}`, {
      method,
      headers: { Authorization: `Bearer ${user.accessToken}`, ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json().catch(() => ({}))) as Json;
    if (res.status === 429) {
      throw Object.assign(new Error("rate limited"), { status: 429, retryAfterMs: parseRetryAfterMs(res.headers.get("retry-after"), json) });
    }
    return { status: res.status, json };
  };
  return withRetry(once, { idempotent: false }, { maxAttempts: 20 });
}

/** As `api`, but anything other than 200 fails the test with the homeserver's answer. */
export async function ok(user: TestUser, method: string, apiPath: string, body?: unknown): Promise<Json> {
  const r = await api(user, method, apiPath, body);
  if (r.status !== 200) throw new Error(`${method} ${apiPath}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

/** Sends a text message; its event id. */
export const say = async (user: TestUser, roomId: string, body: string) =>
  (await ok(user, "PUT", `/rooms/${enc(roomId)}/send/m.room.message/${crypto.randomUUID()}`, { msgtype: "m.text", body })).event_id as string;

export async function stateEvent(user: TestUser, roomId: string, type: string, key = ""): Promise<Json | undefined> {
  const r = await api(user, "GET", `/rooms/${enc(roomId)}/state/${enc(type)}/${enc(key)}`);
  return r.status === 200 ? r.json : undefined;
}

/** The room's recent timeline as `user` sees it. */
export async function timeline(user: TestUser, roomId: string): Promise<Json[]> {
  return (await ok(user, "GET", `/rooms/${enc(roomId)}/messages?dir=b&limit=200`)).chunk as Json[];
}

/** Polls `probe` until it finds something; the bots act asynchronously, so tests wait rather than sleep. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000, everyMs = 150): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export interface BotsTestDb {
  handle: DbHandle;
  /** Closes the pool, stops the server and removes its directory. */
  stop(): Promise<void>;
}

/** The embedded database as `npm start` runs it (PGlite behind its wire server), migrated, in a directory of its own. */
export async function startBotsTestDb(name: string): Promise<BotsTestDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `stadtfunk-${name}-`));
  const embedded = await startEmbeddedDb({ dir: path.join(dir, "db"), port: await freePort() });
  const handle = openDb(embedded.url);
  await runMigrations(handle);
  return {
    handle,
    async stop() {
      await handle.close();
      await embedded.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
