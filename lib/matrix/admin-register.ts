import { createHmac, randomBytes } from "node:crypto";

/** A homeserver answer that is not a success; carries the Matrix errcode when there is one. */
export class MatrixAdminError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errcode: string | undefined,
  ) {
    super(message);
    this.name = "MatrixAdminError";
  }
}

export interface RegisterUserInput {
  homeserverUrl: string;
  /** Synapse's registration_shared_secret. */
  sharedSecret: string;
  /** Localpart (Synapse lower-cases it). */
  username: string;
  /** Absent: a random one, for accounts that only ever sign in via SSO or tokens. */
  password?: string;
  admin: boolean;
  displayname?: string;
  /** Synapse user type such as "bot" or "support"; absent for ordinary people. */
  userType?: string;
  fetchFn?: typeof fetch;
}

export interface RegisteredUser {
  user_id: string;
  access_token: string;
  device_id: string;
}

const ENDPOINT = "/_synapse/admin/v1/register";

/**
 * The MAC Synapse expects: hex HMAC-SHA1 keyed by the shared secret over
 * nonce \0 username \0 password \0 admin|notadmin [\0 user_type].
 */
export function registrationMac(
  sharedSecret: string,
  nonce: string,
  username: string,
  password: string,
  admin: boolean,
  userType?: string,
): string {
  const parts = [nonce, username, password, admin ? "admin" : "notadmin"];
  if (userType) parts.push(userType);
  return createHmac("sha1", sharedSecret).update(parts.join("\0"), "utf8").digest("hex");
}

async function readJson(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  try {
    const body: unknown = JSON.parse(text);
    return body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  } catch {
    return { error: text.slice(0, 200) };
  }
}

async function failure(res: Response, what: string): Promise<MatrixAdminError> {
  const body = await readJson(res);
  const errcode = typeof body.errcode === "string" ? body.errcode : undefined;
  const error = typeof body.error === "string" ? body.error : res.statusText;
  return new MatrixAdminError(
    `${what} failed: HTTP ${res.status}${errcode ? ` ${errcode}` : ""}: ${error}`,
    res.status,
    errcode,
  );
}

/**
 * Creates a local account with the shared-secret admin API. Works while open
 * registration is off and is not IP rate-limited, so the demo, the tests and
 * first-admin setup use it. Each nonce is single-use and valid for 60 s.
 */
export async function registerUser(input: RegisterUserInput): Promise<RegisteredUser> {
  const doFetch = input.fetchFn ?? fetch;
  const base = input.homeserverUrl.replace(/\/+$/, "");
  const url = `${base}${ENDPOINT}`;
  const what = `Registering @${input.username} at ${base}`;

  const nonceRes = await doFetch(url, { method: "GET", signal: AbortSignal.timeout(15_000) });
  if (!nonceRes.ok) throw await failure(nonceRes, `${what} (nonce)`);
  const { nonce } = await readJson(nonceRes);
  if (typeof nonce !== "string") {
    throw new MatrixAdminError(`${what}: the homeserver sent no nonce`, nonceRes.status, undefined);
  }

  const password = input.password ?? randomBytes(32).toString("base64url");
  const body: Record<string, unknown> = {
    nonce,
    username: input.username,
    password,
    admin: input.admin,
    mac: registrationMac(input.sharedSecret, nonce, input.username, password, input.admin, input.userType),
  };
  if (input.displayname !== undefined) body.displayname = input.displayname;
  if (input.userType !== undefined) body.user_type = input.userType;

  const res = await doFetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  if (!res.ok) throw await failure(res, what);
  const out = await readJson(res);
  const { user_id, access_token, device_id } = out;
  if (typeof user_id !== "string" || typeof access_token !== "string" || typeof device_id !== "string") {
    throw new MatrixAdminError(`${what}: unexpected response shape`, res.status, undefined);
  }
  return { user_id, access_token, device_id };
}
