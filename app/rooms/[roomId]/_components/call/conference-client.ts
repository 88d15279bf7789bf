import type { ConferenceAccess } from "@/lib/jitsi/conference-access";
import { elementOpenIdJwtPayload, signElementOpenIdJwt, type OpenIdCredentials } from "./element-openid-jwt";

/**
 * The browser's side of conference access: ask the portal which credential
 * this room's conference takes (it checks membership on the homeserver),
 * join the Matrix room first if the person is only invited, and in `matrix`
 * mode wrap the person's own OpenID token as Element does.
 */

export interface CallCredential {
  mode: ConferenceAccess["mode"];
  domain: string;
  conferenceId: string;
  /** Undefined in `none` mode. */
  jwt?: string;
  /** When to fetch a fresh credential if the person has not joined yet (epoch ms). */
  refreshAt?: number;
}

export type CallAccessProblem = "signed-out" | "forbidden" | "no-matrix-session" | "unavailable" | "failed";

export class CallAccessError extends Error {
  constructor(
    readonly problem: CallAccessProblem,
    /** The portal's own message, when it sent one. */
    readonly userMessage?: string,
  ) {
    super(problem);
    this.name = "CallAccessError";
  }
}

interface MatrixSession {
  homeserverUrl: string;
  userId: string;
  accessToken: string;
}

/** How long before it expires a credential not used yet is replaced. */
const REFRESH_MARGIN_MS = 30_000;

async function portalMatrixSession(signal: AbortSignal): Promise<MatrixSession> {
  const res = await fetch("/api/matrix/session", { cache: "no-store", signal });
  if (res.status === 401) throw new CallAccessError("signed-out");
  if (res.status === 409) throw new CallAccessError("no-matrix-session");
  if (!res.ok) throw new CallAccessError("failed");
  return (await res.json()) as MatrixSession;
}

function matrixPost(session: MatrixSession, path: string, signal: AbortSignal): Promise<Response> {
  return fetch(`${session.homeserverUrl}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${session.accessToken}`, "Content-Type": "application/json" },
    body: "{}",
    signal,
  });
}

async function askPortal(roomId: string, signal: AbortSignal): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`/api/rooms/${encodeURIComponent(roomId)}/conference-token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: "{}",
    cache: "no-store",
    signal,
  });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  return { status: res.status, body };
}

function refusal(status: number, body: Record<string, unknown>): CallAccessError {
  const message = typeof body.error === "string" ? body.error : undefined;
  if (status === 401) return new CallAccessError("signed-out", message);
  if (status === 403) return new CallAccessError("forbidden", message);
  if (status === 503) return new CallAccessError("unavailable", message);
  return new CallAccessError("failed", message);
}

export async function fetchCallCredential(input: {
  roomId: string;
  displayName: string;
  signal: AbortSignal;
}): Promise<CallCredential> {
  const { roomId, signal } = input;
  let session: MatrixSession | undefined;
  let answer = await askPortal(roomId, signal);
  if (answer.status === 409 && answer.body.code === "join-required") {
    // Invited, not yet joined: the call belongs to the room's members, as in Element.
    session = await portalMatrixSession(signal);
    const joined = await matrixPost(session, `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, signal);
    if (!joined.ok) throw new CallAccessError(joined.status === 403 ? "forbidden" : "failed");
    answer = await askPortal(roomId, signal);
  }
  if (answer.status !== 200) throw refusal(answer.status, answer.body);

  const access = answer.body as unknown as ConferenceAccess;
  const base = { mode: access.mode, domain: access.domain, conferenceId: access.conferenceId };
  switch (access.mode) {
    case "none":
      return base;
    case "jwt":
      // Counted from now on this machine: its clock need not agree with the server's.
      return { ...base, jwt: access.token, refreshAt: Date.now() + access.expiresIn * 1000 - REFRESH_MARGIN_MS };
    case "matrix": {
      session ??= await portalMatrixSession(signal);
      const res = await matrixPost(
        session,
        `/_matrix/client/v3/user/${encodeURIComponent(session.userId)}/openid/request_token`,
        signal,
      );
      if (res.status === 401) throw new CallAccessError("no-matrix-session");
      if (!res.ok) throw new CallAccessError("failed");
      const openId = (await res.json()) as OpenIdCredentials;
      if (typeof openId.access_token !== "string" || typeof openId.matrix_server_name !== "string") {
        throw new CallAccessError("failed");
      }
      const jwt = await signElementOpenIdJwt(
        elementOpenIdJwtPayload({ domain: access.domain, roomId: access.roomId, openId, displayName: input.displayName }),
      );
      const lifetimeMs = (typeof openId.expires_in === "number" ? openId.expires_in : 3600) * 1000;
      return { ...base, jwt, refreshAt: Date.now() + lifetimeMs - REFRESH_MARGIN_MS };
    }
    default:
      throw new CallAccessError("failed");
  }
}
