import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { isRoomId } from "../matrix/room-id";
import type { RoomPowerState } from "../matrix/power-levels";
import { uvsPowerLevels, uvsPowerLevelsSchema, type UvsPowerLevels } from "./room-power";

/**
 * A verifier compatible with matrix-user-verification-service (UVS), which
 * Prosody's `matrix_user_verification` auth calls before letting an Element
 * user into a `matrix`-mode conference. Unlike UVS it never discovers a
 * homeserver from the request: only allow-listed server names are asked,
 * at base URLs we configured.
 */

export const USERINFO_PATH = "/_matrix/federation/v1/openid/userinfo";

const serverNameSchema = z
  .string()
  .max(255)
  .regex(/^[A-Za-z0-9.\-[\]:]+$/, "not a Matrix server name");

// --- wire schemas (request and response bodies of the two POST routes) ---

export const verifyUserRequestSchema = z.object({
  token: z.string().min(1).max(1024),
  matrix_server_name: serverNameSchema.min(1).optional(),
});
export type VerifyUserRequest = z.infer<typeof verifyUserRequestSchema>;

export const verifyUserInRoomRequestSchema = verifyUserRequestSchema.extend({
  room_id: z.string().refine(isRoomId, "not a Matrix room ID"),
});
export type VerifyUserInRoomRequest = z.infer<typeof verifyUserInRoomRequestSchema>;

export const verifyUserResponseSchema = z.union([
  z.strictObject({ results: z.strictObject({ user: z.literal(true) }), user_id: z.string() }),
  z.strictObject({ results: z.strictObject({ user: z.literal(false) }), user_id: z.null() }),
]);
export type VerifyUserResponse = z.infer<typeof verifyUserResponseSchema>;

export const verifyUserInRoomResponseSchema = z.strictObject({
  results: z.strictObject({ user: z.boolean(), room_membership: z.boolean().nullable() }),
  user_id: z.string().nullable(),
  power_levels: uvsPowerLevelsSchema.nullable(),
});
export type VerifyUserInRoomResponse = z.infer<typeof verifyUserInRoomResponseSchema>;

// --- verification ---

export interface OpenIdToken {
  access_token: string;
  matrix_server_name: string;
}

export type RejectReason =
  | "server_not_allowed"
  | "no_homeserver_url"
  | "homeserver_unreachable"
  | "homeserver_error"
  | "token_rejected"
  | "bad_userinfo"
  | "foreign_user"
  | "not_joined"
  | "membership_lookup_failed";

export interface OpenIdVerifierDeps {
  /** Our own server name plus approved partners; nothing else is ever asked. */
  allowedServerNames: readonly string[];
  /** Configured base URL of an allowed server (ours: config.matrix.homeserverUrl); undefined refuses. */
  homeserverUrlFor: (serverName: string) => string | undefined;
  fetchFn?: typeof fetch;
  timeoutMs?: number;
  /** For an info log line; gets no token. */
  onReject?: (reason: RejectReason, serverName: string) => void;
}

export type OpenIdCheck = { ok: true; userId: string } | { ok: false; reason: RejectReason };

const userInfoSchema = z.object({ sub: z.string().max(255) });

/** `@localpart:server` with the server part exactly `serverName` (localparts hold no colon). */
function isUserOnServer(userId: string, serverName: string): boolean {
  const colon = userId.indexOf(":");
  return userId.startsWith("@") && colon > 1 && userId.slice(colon + 1) === serverName;
}

/** Asks the token's homeserver who the token belongs to; expected failures are values. */
export async function checkOpenIdToken(token: OpenIdToken, deps: OpenIdVerifierDeps): Promise<OpenIdCheck> {
  const serverName = token.matrix_server_name;
  const reject = (reason: RejectReason): OpenIdCheck => {
    deps.onReject?.(reason, serverName);
    return { ok: false, reason };
  };
  // The name in the request is a claim: it only selects among servers we already trust.
  if (!deps.allowedServerNames.includes(serverName)) return reject("server_not_allowed");
  const base = deps.homeserverUrlFor(serverName)?.replace(/\/+$/, "");
  if (!base) return reject("no_homeserver_url");

  const url = `${base}${USERINFO_PATH}?access_token=${encodeURIComponent(token.access_token)}`;
  let res: Response;
  try {
    res = await (deps.fetchFn ?? fetch)(url, {
      method: "GET",
      headers: { accept: "application/json" },
      // A redirect could lead anywhere; the configured URL must answer itself.
      redirect: "manual",
      signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
    });
  } catch {
    return reject("homeserver_unreachable");
  }
  if (res.status !== 200) {
    // Release the connection; the body of a refusal tells us nothing we use.
    await res.body?.cancel().catch(() => {});
    return reject([401, 403, 404].includes(res.status) ? "token_rejected" : "homeserver_error");
  }

  let info: z.infer<typeof userInfoSchema>;
  try {
    info = userInfoSchema.parse(await res.json());
  } catch {
    return reject("bad_userinfo");
  }
  // A server may only vouch for its own users.
  if (!isUserOnServer(info.sub, serverName)) return reject("foreign_user");
  return { ok: true, userId: info.sub };
}

/** `POST /verify/user`: who owns this OpenID token. */
export async function verifyOpenIdUser(
  input: { token: OpenIdToken },
  deps: OpenIdVerifierDeps,
): Promise<VerifyUserResponse> {
  const check = await checkOpenIdToken(input.token, deps);
  return check.ok ? { results: { user: true }, user_id: check.userId } : { results: { user: false }, user_id: null };
}

export interface RoomAccessDeps {
  /** The user's membership in the room ("join", "invite", "leave", "ban", "knock"), or null if none. */
  getMembership: (roomId: string, userId: string) => Promise<string | null>;
  /**
   * Null when the room has no power levels event: the user then gets no owner role.
   * `roomPowerState` builds the value from the room's full state.
   */
  getPowerLevels: (roomId: string) => Promise<RoomPowerState | null>;
}

/** `POST /verify/user_in_room`: the token's owner, whether they are joined, and their power. */
export async function verifyUserInRoom(
  input: { token: OpenIdToken; roomId: string },
  deps: OpenIdVerifierDeps & RoomAccessDeps,
): Promise<VerifyUserInRoomResponse> {
  const check = await checkOpenIdToken(input.token, deps);
  if (!check.ok) return { results: { user: false, room_membership: null }, user_id: null, power_levels: null };
  const userId = check.userId;
  const notMember = (reason: RejectReason): VerifyUserInRoomResponse => {
    deps.onReject?.(reason, input.token.matrix_server_name);
    return { results: { user: true, room_membership: false }, user_id: userId, power_levels: null };
  };
  if (!isRoomId(input.roomId)) return notMember("not_joined");

  let membership: string | null;
  try {
    membership = await deps.getMembership(input.roomId, userId);
  } catch {
    // Fail closed: an unreadable room lets nobody in.
    return notMember("membership_lookup_failed");
  }
  if (membership !== "join") return notMember("not_joined");

  let powerLevels: UvsPowerLevels | null = null;
  try {
    const state = await deps.getPowerLevels(input.roomId);
    if (state) powerLevels = uvsPowerLevels(state, userId);
  } catch {
    // As UVS: a member whose levels cannot be read joins without the owner role.
  }
  return { results: { user: true, room_membership: true }, user_id: userId, power_levels: powerLevels };
}

// --- HTTP edge: the same status codes and bodies as UVS ---

export type VerifierHttpResult =
  | { status: 200; body: VerifyUserResponse | VerifyUserInRoomResponse }
  | { status: 400; body: string }
  | { status: 403; body: Record<string, never> };

export interface VerifierHttpDeps {
  /** Prosody's `uvs_auth_token`; every call must carry it as a bearer token. */
  bearerToken: string;
  /** Used when a request names no server (Prosody leaves it out when the JWT has none). */
  defaultServerName: string;
}

/** Constant-time check of `Authorization: Bearer <token>` (hashing first evens out the lengths). */
export function hasVerifierBearer(authorization: string | null | undefined, bearerToken: string): boolean {
  if (!bearerToken) return false;
  const match = /^Bearer (.+)$/i.exec(authorization ?? "");
  if (!match?.[1]) return false;
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(match[1]), digest(bearerToken));
}

function badRequest(error: z.ZodError): VerifierHttpResult {
  const field = error.issues[0]?.path.join(".") || "body";
  return { status: 400, body: `Invalid request: ${field} missing or invalid in the JSON payload.` };
}

export async function handleVerifyUser(
  request: { authorization: string | null | undefined; body: unknown },
  deps: OpenIdVerifierDeps & VerifierHttpDeps,
): Promise<VerifierHttpResult> {
  if (!hasVerifierBearer(request.authorization, deps.bearerToken)) return { status: 403, body: {} };
  const parsed = verifyUserRequestSchema.safeParse(request.body);
  if (!parsed.success) return badRequest(parsed.error);
  const token = {
    access_token: parsed.data.token,
    matrix_server_name: parsed.data.matrix_server_name ?? deps.defaultServerName,
  };
  return { status: 200, body: await verifyOpenIdUser({ token }, deps) };
}

export async function handleVerifyUserInRoom(
  request: { authorization: string | null | undefined; body: unknown },
  deps: OpenIdVerifierDeps & RoomAccessDeps & VerifierHttpDeps,
): Promise<VerifierHttpResult> {
  if (!hasVerifierBearer(request.authorization, deps.bearerToken)) return { status: 403, body: {} };
  const parsed = verifyUserInRoomRequestSchema.safeParse(request.body);
  if (!parsed.success) return badRequest(parsed.error);
  const token = {
    access_token: parsed.data.token,
    matrix_server_name: parsed.data.matrix_server_name ?? deps.defaultServerName,
  };
  return { status: 200, body: await verifyUserInRoom({ token, roomId: parsed.data.room_id }, deps) };
}
