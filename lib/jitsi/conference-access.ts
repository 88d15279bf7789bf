import type { AppConfig } from "../config/load";
import { AppError, isAppError } from "../errors";
import type { Logger } from "../log";
import type { ServiceClient, StateEvent } from "../matrix/service-client";
import type { RoomAccess } from "../rooms/room-access";
import { isRoomId } from "../matrix/room-id";
import { conferenceIdForRoom } from "./conference-id";
import { mintJwtModeToken } from "./jwt-mode-token";
import {
  hasVerifierBearer,
  type OpenIdVerifierDeps,
  type RoomAccessDeps,
  type VerifierHttpDeps,
  type VerifierHttpResult,
} from "./openid-verifier";
import { roomPowerState } from "../matrix/power-levels";
import { federationBaseUrl } from "../federation/federation-url";

/**
 * Who may enter a room's Jitsi conference, and with which credential, in
 * each of the three access modes:
 *
 * - `jwt`: the portal mints a short-lived token for this one conference,
 *   only for joined members; moderator only for the room's moderators.
 * - `matrix`: nothing is minted here. The browser asks its own homeserver for
 *   an OpenID token and wraps it the way Element's Jitsi wrapper does
 *   (app/rooms/[roomId]/_components/call/element-openid-jwt.ts); Prosody
 *   checks it against the verifier routes below, which ask the homeserver.
 * - `none`: an open Jitsi; the conference name is the only secret.
 *
 * In every mode the person must be a joined member of the room, as the
 * homeserver reports it; an invitee is asked to join first (409), so the
 * same rule holds as in Prosody's membership check.
 */

export type ConferenceMode = AppConfig["jitsi"]["authMode"];

export interface ConferenceAccessDeps {
  jitsi: AppConfig["jitsi"];
  /** Membership and power in the room, from the homeserver (readRoomAccess). */
  readAccess: (roomId: string, userId: string) => Promise<Pick<RoomAccess, "membership" | "isModerator">>;
  now: () => Date;
}

export interface ConferenceAccessRequest {
  roomId: string;
  /** The conference the portal wrote into the room's call widget. */
  conferenceId: string;
  /** The person's Matrix user ID; null before their first Matrix sign-in. */
  userId: string | null;
  displayName: string;
}

interface AccessCommon {
  /** The Jitsi host (and port), as configured; the IFrame API is loaded from https://<domain>. */
  domain: string;
  conferenceId: string;
}

export type ConferenceAccess =
  | (AccessCommon & {
      mode: "jwt";
      token: string;
      expiresAt: string;
      /** Lifetime in seconds, so a browser with a wrong clock still knows when to renew. */
      expiresIn: number;
      moderator: boolean;
    })
  | (AccessCommon & { mode: "matrix"; token: null; roomId: string })
  | (AccessCommon & { mode: "none"; token: null });

const NO_ACCESS = "Kein Zugriff auf die Videokonferenz dieses Raums.";

/** The credential a signed-in person gets for a room's conference; refusals are AppErrors. */
export async function conferenceAccess(
  deps: ConferenceAccessDeps,
  req: ConferenceAccessRequest,
): Promise<ConferenceAccess> {
  const { jitsi } = deps;
  if (!req.userId) throw new AppError("no-matrix-account", "forbidden", NO_ACCESS);
  if (!isRoomId(req.roomId)) throw new AppError("not-a-member", "forbidden", NO_ACCESS);

  let access: Pick<RoomAccess, "membership" | "isModerator">;
  try {
    access = await deps.readAccess(req.roomId, req.userId);
  } catch (err) {
    if (isAppError(err)) throw err;
    throw new AppError(
      "homeserver-unavailable",
      "unavailable",
      "Der Chat-Server ist gerade nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.",
      {},
      { cause: err },
    );
  }
  if (access.membership === "invite") {
    throw new AppError("join-required", "conflict", "Bitte treten Sie dem Raum bei, um an der Videokonferenz teilzunehmen.");
  }
  if (access.membership !== "join") throw new AppError("not-a-member", "forbidden", NO_ACCESS);

  const common: AccessCommon = { domain: jitsi.domain, conferenceId: req.conferenceId };
  switch (jitsi.authMode) {
    case "jwt": {
      const now = deps.now();
      const token = await mintJwtModeToken({
        jitsi,
        conferenceId: req.conferenceId,
        user: { id: req.userId, name: req.displayName, role: access.isModerator ? "moderator" : "member" },
        now: () => now,
      });
      const expiresAt = new Date((Math.floor(now.getTime() / 1000) + jitsi.tokenTtlSeconds) * 1000).toISOString();
      return { ...common, mode: "jwt", token, expiresAt, expiresIn: jitsi.tokenTtlSeconds, moderator: access.isModerator };
    }
    case "matrix":
      // Prosody decodes the conference name back to the room it checks membership in.
      if (conferenceIdForRoom(req.roomId) !== req.conferenceId) {
        throw new AppError(
          "conference-mode-mismatch",
          "unavailable",
          "Die Videokonferenz dieses Raums passt nicht zur aktuellen Jitsi-Einstellung. Bitte wenden Sie sich an die Administration.",
        );
      }
      return { ...common, mode: "matrix", token: null, roomId: req.roomId };
    case "none":
      return { ...common, mode: "none", token: null };
  }
}

// --- the UVS-compatible verifier routes (app/api/jitsi/verify/*) ---

export interface VerifierRuntime {
  /** `jitsi.verifierToken` is the bearer token Prosody sends (`uvs_auth_token`); empty refuses every call. */
  config: Pick<AppConfig, "matrix" | "jitsi">;
  /** The service's bot is in every managed room and reads its state. */
  service: Pick<ServiceClient, "getState">;
  log?: Pick<Logger, "info">;
}

/**
 * The verifier's dependencies for one request: our own homeserver at the
 * configured URL, and the approved partners' homeservers (read from the
 * database for this request) over their federation port; membership and
 * power come from one read of the room's state.
 */
export function verifierDeps(
  rt: VerifierRuntime,
  fetchFn?: typeof fetch,
  partnerServerNames: readonly string[] = [],
): OpenIdVerifierDeps & RoomAccessDeps & VerifierHttpDeps {
  const bearerToken = rt.config.jitsi.verifierToken;
  const own = rt.config.matrix.serverName;
  const states = new Map<string, Promise<StateEvent[]>>();
  const stateOf = (roomId: string) => {
    let state = states.get(roomId);
    if (!state) {
      state = rt.service.getState(roomId);
      states.set(roomId, state);
    }
    return state;
  };
  return {
    allowedServerNames: [own, ...partnerServerNames],
    homeserverUrlFor: (name) =>
      name === own ? rt.config.matrix.homeserverUrl : partnerServerNames.includes(name) ? federationBaseUrl(name) : undefined,
    fetchFn,
    onReject: (reason, serverName) => rt.log?.info({ reason, serverName }, "jitsi verifier refused"),
    getMembership: async (roomId, userId) => {
      const member = (await stateOf(roomId)).find((e) => e.type === "m.room.member" && e.state_key === userId);
      const membership = member?.content.membership;
      return typeof membership === "string" ? membership : null;
    },
    getPowerLevels: async (roomId) => roomPowerState(await stateOf(roomId)),
    bearerToken,
    defaultServerName: own,
  };
}

/** Prosody's requests are a few hundred bytes; anything much larger is not one. */
const MAX_VERIFIER_BODY_BYTES = 8 * 1024;
const NO_STORE = { "Cache-Control": "no-store" };

/**
 * The HTTP edge of a verifier route with UVS's status codes: 403 `{}`
 * without the bearer token (checked before the body is read), 400 with a
 * plain-text message for a bad body, 200 with the verdict otherwise.
 */
export async function serveVerifier(
  req: Request,
  bearerToken: string,
  handle: (request: { authorization: string | null; body: unknown }) => Promise<VerifierHttpResult>,
): Promise<Response> {
  const authorization = req.headers.get("authorization");
  if (!hasVerifierBearer(authorization, bearerToken)) return Response.json({}, { status: 403, headers: NO_STORE });
  const length = Number(req.headers.get("content-length") ?? "0");
  if (length > MAX_VERIFIER_BODY_BYTES) {
    return new Response("Request body too large.", { status: 413, headers: { ...NO_STORE, "Content-Type": "text/plain; charset=utf-8" } });
  }
  const text = await req.text().catch(() => "");
  let body: unknown;
  try {
    body = text.length <= MAX_VERIFIER_BODY_BYTES ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const result = await handle({ authorization, body });
  if (result.status === 400) {
    return new Response(result.body, { status: 400, headers: { ...NO_STORE, "Content-Type": "text/plain; charset=utf-8" } });
  }
  return Response.json(result.body, { status: result.status, headers: NO_STORE });
}
