import { z } from "zod";
import type { AdminContext } from "./admin-users";
import { MatrixApiError, enc, matrixRequest, type MatrixRequest } from "./client-api";

/**
 * Synapse admin API calls for data-subject requests (GDPR Art. 15 and 17):
 * everything the homeserver holds about one account, and its deactivation
 * with erasure. One function per endpoint, each response checked, every
 * path segment URL-encoded; the token is passed in, nothing is kept.
 */

type Json = Record<string, unknown>;
const anyObject = z.record(z.string(), z.unknown());

function adminCall<T>(ctx: AdminContext, method: MatrixRequest["method"], path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
  return matrixRequest({ homeserverUrl: ctx.homeserverUrl, fetchFn: ctx.fetchFn, method, path, accessToken: ctx.adminToken, body }, schema);
}

/** null when the homeserver answers 404 (no such account, or nothing stored). */
async function orNull<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof MatrixApiError && err.status === 404) return null;
    throw err;
  }
}

/** `GET /_synapse/admin/v2/users/<id>`: the full account record (threepids, external ids, flags, times). */
export function accountDetails(ctx: AdminContext, userId: string): Promise<Json | null> {
  return orNull(adminCall(ctx, "GET", `/_synapse/admin/v2/users/${enc(userId)}`, anyObject));
}

/** `GET /_matrix/client/v3/profile/<id>`: display name and avatar as other users see them. */
export function profile(ctx: AdminContext, userId: string): Promise<Json | null> {
  return orNull(adminCall(ctx, "GET", `/_matrix/client/v3/profile/${enc(userId)}`, anyObject));
}

/** `GET /_synapse/admin/v2/users/<id>/devices`: every device with its last address and client. */
export async function deviceDetails(ctx: AdminContext, userId: string): Promise<Json[]> {
  const r = await adminCall(ctx, "GET", `/_synapse/admin/v2/users/${enc(userId)}/devices`, z.object({ devices: z.array(anyObject) }));
  return r.devices;
}

/** `GET /_synapse/admin/v1/whois/<id>`: sessions and connections (addresses, clients, times). */
export function connections(ctx: AdminContext, userId: string): Promise<Json | null> {
  return orNull(adminCall(ctx, "GET", `/_synapse/admin/v1/whois/${enc(userId)}`, anyObject));
}

const mediaPage = z.object({ media: z.array(anyObject), next_token: z.union([z.number(), z.string()]).nullish() });

/** `GET /_synapse/admin/v1/users/<id>/media`, every page: the files the account uploaded (metadata). */
export async function uploadedMedia(ctx: AdminContext, userId: string, pageSize = 100): Promise<Json[]> {
  const all: Json[] = [];
  let from: string | number = 0;
  for (let page = 0; page < 1_000; page++) {
    const r: z.infer<typeof mediaPage> = await adminCall(
      ctx,
      "GET",
      `/_synapse/admin/v1/users/${enc(userId)}/media?from=${enc(String(from))}&limit=${pageSize}`,
      mediaPage,
    );
    all.push(...r.media);
    if (r.next_token === undefined || r.next_token === null || r.media.length === 0) break;
    from = r.next_token;
  }
  return all;
}

/** `GET /_synapse/admin/v1/users/<id>/accountdata`: global and per-room client settings. */
export async function accountData(ctx: AdminContext, userId: string): Promise<{ global: Json; rooms: Record<string, Json> } | null> {
  const r = await orNull(
    adminCall(
      ctx,
      "GET",
      `/_synapse/admin/v1/users/${enc(userId)}/accountdata`,
      z.object({ account_data: z.object({ global: anyObject, rooms: z.record(z.string(), anyObject) }) }),
    ),
  );
  return r?.account_data ?? null;
}

/** `GET /_synapse/admin/v1/users/<id>/pushers`: where notifications are pushed to. */
export async function pushers(ctx: AdminContext, userId: string): Promise<Json[]> {
  const r = await orNull(adminCall(ctx, "GET", `/_synapse/admin/v1/users/${enc(userId)}/pushers`, z.object({ pushers: z.array(anyObject) })));
  return r?.pushers ?? [];
}

/**
 * `POST /_synapse/admin/v1/deactivate/<id>` with `erase: true`: the account
 * leaves every room, loses devices, tokens, e-mail addresses and profile,
 * and its messages are hidden from anyone who joins later (GDPR erasure).
 */
export async function deactivateAndErase(ctx: AdminContext, userId: string): Promise<void> {
  await adminCall(ctx, "POST", `/_synapse/admin/v1/deactivate/${enc(userId)}`, anyObject, { erase: true });
}
