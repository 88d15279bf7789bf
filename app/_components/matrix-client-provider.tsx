"use client";

import type { ICreateClientOpts, MatrixClient, SyncState } from "matrix-js-sdk";
import { createContext, useContext, useEffect, useSyncExternalStore, type ReactNode } from "react";
import { chatSyncFilter, INITIAL_TIMELINE_LIMIT } from "@/lib/chat/sync-filter";

/**
 * One Matrix client per browser tab, shared by every component that needs
 * it (room chat, unread badges). It is created on first use from the
 * signed-in browser's credentials (/api/matrix/session), without end-to-end
 * encryption, and syncs with a lazy-loading filter limited to what the
 * portal shows. The SDK is loaded on demand, never on the server.
 */
const TEXTS = {
  signedOut: "Sie sind nicht mehr angemeldet. Bitte laden Sie die Seite neu und melden Sie sich an.",
  notConnected: "Ihr Chat-Konto ist noch nicht verbunden.",
  loggedOut: "Ihre Chat-Sitzung ist abgelaufen. Bitte melden Sie sich neu an.",
  unavailable: "Der Chat-Server ist gerade nicht erreichbar.",
};

type Logger = NonNullable<ICreateClientOpts["logger"]>;

export type SyncStateName = `${SyncState}`;
/** The SDK module, loaded on demand: components take its enums from here instead of importing it. */
export type MatrixSdk = typeof import("matrix-js-sdk");

export type MatrixConnection =
  | { status: "connecting" }
  | {
      status: "ready";
      client: MatrixClient;
      sdk: MatrixSdk;
      userId: string;
      /** The first sync is through: rooms, members and timelines are there. */
      isPrepared: boolean;
      syncState: SyncStateName | null;
    }
  | {
      status: "failed";
      reason: "signed-out" | "not-connected" | "logged-out" | "unavailable";
      message: string;
    };

interface Credentials {
  homeserverUrl: string;
  userId: string;
  deviceId: string;
  accessToken: string;
}

function isCredentials(v: unknown): v is Credentials {
  if (typeof v !== "object" || v === null) return false;
  const o = v as Record<string, unknown>;
  return ["homeserverUrl", "userId", "deviceId", "accessToken"].every((k) => typeof o[k] === "string" && o[k] !== "");
}

/** The SDK logs at debug level by default; the portal keeps warnings and errors only. */
function quietLogger(): Logger {
  const drop = () => {};
  const logger: Logger = {
    trace: drop,
    debug: drop,
    info: drop,
    warn: (...msg: unknown[]) => console.warn("[matrix]", ...msg),
    error: (...msg: unknown[]) => console.error("[matrix]", ...msg),
    getChild: () => logger,
  };
  return logger;
}

class SharedConnection {
  private snapshot: MatrixConnection = { status: "connecting" };
  private readonly listeners = new Set<() => void>();
  private started = false;

  readonly subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = () => this.snapshot;

  private set(next: MatrixConnection) {
    this.snapshot = next;
    for (const l of this.listeners) l();
  }

  /** Starts the client once per tab; later calls are no-ops. */
  start() {
    if (this.started) return;
    this.started = true;
    this.connect().catch(() => this.fail("unavailable"));
  }

  /** After a failure a person may try again (e.g. the homeserver was briefly down). */
  retry() {
    if (this.snapshot.status !== "failed" || this.snapshot.reason !== "unavailable") return;
    this.started = false;
    this.set({ status: "connecting" });
    this.start();
  }

  private fail(reason: Extract<MatrixConnection, { status: "failed" }>["reason"]) {
    const message = { "signed-out": TEXTS.signedOut, "not-connected": TEXTS.notConnected, "logged-out": TEXTS.loggedOut, unavailable: TEXTS.unavailable }[reason];
    this.set({ status: "failed", reason, message });
  }

  private async connect() {
    const res = await fetch(sessionEndpoint, { cache: "no-store", credentials: "same-origin" });
    if (res.status === 401) return this.fail("signed-out");
    if (res.status === 409) return this.fail("not-connected");
    const creds: unknown = res.ok ? await res.json() : null;
    if (!isCredentials(creds)) return this.fail("unavailable");

    const sdk = await import("matrix-js-sdk");
    const client = sdk.createClient({
      baseUrl: creds.homeserverUrl,
      userId: creds.userId,
      deviceId: creds.deviceId,
      accessToken: creds.accessToken,
      useAuthorizationHeader: true,
      timelineSupport: false,
      // Calls are Jitsi's: no Matrix VoIP (no TURN polling, no call event handlers).
      disableVoip: true,
      logger: quietLogger(),
    });
    // Nor MatrixRTC: without this the SDK asks the homeserver for RTC transports (MSC4143) at every
    // start, which Synapse answers with a 404 that the browser logs as an error.
    client._unstable_getRTCTransports = async () => [];
    let isPrepared = false;
    const publish = (syncState: SyncStateName | null) =>
      this.set({ status: "ready", client, sdk, userId: creds.userId, isPrepared, syncState });
    client.on(sdk.ClientEvent.Sync, (state) => {
      if (state === sdk.SyncState.Prepared) isPrepared = true;
      const now = this.snapshot;
      // Every /sync response fires this; consumers re-render only when something they show changed.
      if (now.status === "failed" || (now.status === "ready" && now.syncState === state && now.isPrepared === isPrepared)) return;
      publish(state);
    });
    client.on(sdk.HttpApiEvent.SessionLoggedOut, () => {
      client.stopClient();
      this.fail("logged-out");
    });

    const filter = new sdk.Filter(creds.userId);
    filter.setDefinition(chatSyncFilter());
    publish(null);
    await client.startClient({
      filter,
      lazyLoadMembers: true,
      initialSyncLimit: INITIAL_TIMELINE_LIMIT,
      disablePresence: true,
      threadSupport: false,
    });
  }
}

// On globalThis, so that even a duplicated module instance (e.g. after a hot reload) shares the one client.
const SHARED_KEY = Symbol.for("stadtfunk.matrix-connection");
function sharedConnection(): SharedConnection {
  const g = globalThis as typeof globalThis & { [SHARED_KEY]?: SharedConnection };
  return (g[SHARED_KEY] ??= new SharedConnection());
}

const SERVER_SNAPSHOT: MatrixConnection = { status: "connecting" };
const getServerSnapshot = () => SERVER_SNAPSHOT;

const InjectedConnection = createContext<MatrixConnection | null>(null);

/**
 * Starts the tab's shared client when mounted. `connection` replaces it
 * (for a fake client in tests or previews).
 */
/** Where the tab's credentials come from: staff sessions by default, guests' own endpoint on guest pages. */
let sessionEndpoint = "/api/matrix/session";

/** Called before the first connection; a tab is either a staff tab or a guest tab, never both. */
export function setMatrixSessionEndpoint(url: "/api/matrix/session" | "/api/guest/session"): void {
  sessionEndpoint = url;
}

export function MatrixClientProvider({ children, connection }: { children: ReactNode; connection?: MatrixConnection }) {
  const outer = useContext(InjectedConnection);
  useEffect(() => {
    if (!connection && !outer) sharedConnection().start();
  }, [connection, outer]);
  return <InjectedConnection.Provider value={connection ?? outer}>{children}</InjectedConnection.Provider>;
}

/** The tab's Matrix connection; starts the shared client on first use. */
export function useMatrixConnection(): MatrixConnection {
  const injected = useContext(InjectedConnection);
  const shared = sharedConnection();
  const snapshot = useSyncExternalStore(shared.subscribe, shared.getSnapshot, getServerSnapshot);
  useEffect(() => {
    if (!injected) shared.start();
  }, [injected, shared]);
  return injected ?? snapshot;
}

/** Tries to connect again after the homeserver was unreachable. */
export function retryMatrixConnection(): void {
  sharedConnection().retry();
}
