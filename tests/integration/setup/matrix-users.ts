import { randomBytes } from "node:crypto";
import { ClientEvent, createClient, SyncState, type ICreateClientOpts, type MatrixClient } from "matrix-js-sdk";
import { logger as sdkRootLogger } from "matrix-js-sdk/lib/logger.js";
import { inject } from "vitest";
import { registerUser } from "../../../lib/matrix/admin-register";

export interface TestUser {
  userId: string;
  localpart: string;
  password: string;
  accessToken: string;
  deviceId: string;
}

/** A localpart no other test (or earlier run against the same data) has used. */
export function uniqueLocalpart(prefix = "user"): string {
  return `${prefix}-${randomBytes(5).toString("hex")}`;
}

type SdkLogger = NonNullable<ICreateClientOpts["logger"]>;

/** matrix-js-sdk logs every sync step (and warns about push rules); tests only want errors. */
const quietLogger: SdkLogger = {
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: (...msg: unknown[]) => console.error("[matrix-js-sdk]", ...msg),
  getChild: () => quietLogger,
};

/**
 * Some matrix-js-sdk modules (RTC sessions, the send queue) log through the
 * global loglevel logger rather than the client's. Its children copy the
 * root's methodFactory, so replacing that one silences everything but errors.
 */
function quietGlobalSdkLogger(): void {
  type Factory = (method: string, level: number, name: string | symbol) => (...msg: unknown[]) => void;
  const root = sdkRootLogger as unknown as { methodFactory: Factory; rebuild(): void };
  const loud = root.methodFactory;
  root.methodFactory = (method, level, name) =>
    method === "error" ? loud(method, level, name) : () => {};
  root.rebuild();
}
quietGlobalSdkLogger();

/** Registers a local account through the shared-secret admin API. */
export async function createTestUser(
  opts: { localpart?: string; password?: string; admin?: boolean; displayname?: string } = {},
): Promise<TestUser> {
  const localpart = opts.localpart ?? uniqueLocalpart();
  const password = opts.password ?? randomBytes(12).toString("base64url");
  const user = await registerUser({
    homeserverUrl: inject("homeserverUrl"),
    sharedSecret: inject("registrationSharedSecret"),
    username: localpart,
    password,
    admin: opts.admin ?? false,
    displayname: opts.displayname,
  });
  return {
    userId: user.user_id,
    localpart,
    password,
    accessToken: user.access_token,
    deviceId: user.device_id,
  };
}

/** A client for the user, syncing, resolved once the first sync is PREPARED. */
export async function startClient(user: TestUser, timeoutMs = 20_000): Promise<MatrixClient> {
  const client = createClient({
    baseUrl: inject("homeserverUrl"),
    userId: user.userId,
    accessToken: user.accessToken,
    deviceId: user.deviceId,
    logger: quietLogger,
  });
  const prepared = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${user.userId}: no first sync in ${timeoutMs} ms`)), timeoutMs);
    const onSync = (state: SyncState) => {
      if (state === SyncState.Prepared) {
        clearTimeout(timer);
        client.off(ClientEvent.Sync, onSync);
        resolve();
      } else if (state === SyncState.Error) {
        clearTimeout(timer);
        client.off(ClientEvent.Sync, onSync);
        reject(new Error(`${user.userId}: first sync failed`));
      }
    };
    client.on(ClientEvent.Sync, onSync);
  });
  await client.startClient({ initialSyncLimit: 10 });
  try {
    await prepared;
  } catch (err) {
    client.stopClient();
    throw err;
  }
  return client;
}

/** Registers a user and returns it with a started, synced client. Call client.stopClient() after. */
export async function createStartedUser(
  opts: Parameters<typeof createTestUser>[0] = {},
): Promise<TestUser & { client: MatrixClient }> {
  const user = await createTestUser(opts);
  return { ...user, client: await startClient(user) };
}
