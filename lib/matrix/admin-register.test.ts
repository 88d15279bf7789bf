import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MatrixAdminError, registerUser, registrationMac } from "./admin-register";

const SECRET = "0123456789abcdef-shared";
const HS = "http://127.0.0.1:8008/";

interface Call {
  url: string;
  method: string;
  body?: Record<string, unknown>;
}

/** A two-step fake homeserver: answers the nonce GET, then the register POST. */
function fakeHomeserver(post: { status: number; body: unknown }) {
  const calls: Call[] = [];
  const fetchFn = (async (url: string | URL | Request, init?: RequestInit) => {
    const method = init?.method ?? "GET";
    const body = typeof init?.body === "string" ? (JSON.parse(init.body) as Record<string, unknown>) : undefined;
    calls.push({ url: String(url), method, body });
    if (method === "GET") return Response.json({ nonce: "abc123" });
    return Response.json(post.body, { status: post.status });
  }) as typeof fetch;
  return { calls, fetchFn };
}

describe("registrationMac", () => {
  it.each([
    { admin: false, userType: undefined, message: "n\0alice\0pw\0notadmin" },
    { admin: true, userType: undefined, message: "n\0alice\0pw\0admin" },
    { admin: false, userType: "bot", message: "n\0alice\0pw\0notadmin\0bot" },
  ])("signs $message as Synapse documents", ({ admin, userType, message }) => {
    const want = createHmac("sha1", SECRET).update(message).digest("hex");
    expect(registrationMac(SECRET, "n", "alice", "pw", admin, userType)).toBe(want);
  });
});

describe("registerUser", () => {
  it("fetches a nonce, then posts the signed registration", async () => {
    const hs = fakeHomeserver({
      status: 200,
      body: { user_id: "@alice:s.test", access_token: "tok", device_id: "DEV", home_server: "s.test" },
    });
    const user = await registerUser({
      homeserverUrl: HS,
      sharedSecret: SECRET,
      username: "alice",
      password: "pw",
      admin: true,
      displayname: "Alice",
      fetchFn: hs.fetchFn,
    });

    expect(user).toEqual({ user_id: "@alice:s.test", access_token: "tok", device_id: "DEV" });
    expect(hs.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      "GET http://127.0.0.1:8008/_synapse/admin/v1/register",
      "POST http://127.0.0.1:8008/_synapse/admin/v1/register",
    ]);
    const mac = createHmac("sha1", SECRET).update("abc123\0alice\0pw\0admin").digest("hex");
    expect(hs.calls[1]?.body).toEqual({
      nonce: "abc123",
      username: "alice",
      password: "pw",
      admin: true,
      displayname: "Alice",
      mac,
    });
  });

  it("uses a random password when none is given, and signs that one", async () => {
    const hs = fakeHomeserver({ status: 200, body: { user_id: "@b:s", access_token: "t", device_id: "D" } });
    await registerUser({ homeserverUrl: HS, sharedSecret: SECRET, username: "b", admin: false, fetchFn: hs.fetchFn });
    const body = hs.calls[1]?.body ?? {};
    expect(typeof body.password).toBe("string");
    expect((body.password as string).length).toBeGreaterThanOrEqual(32);
    expect(body.mac).toBe(registrationMac(SECRET, "abc123", "b", body.password as string, false));
  });

  it.each([
    { status: 403, body: { errcode: "M_FORBIDDEN", error: "HMAC incorrect" }, errcode: "M_FORBIDDEN" },
    { status: 400, body: { errcode: "M_USER_IN_USE", error: "User ID already taken." }, errcode: "M_USER_IN_USE" },
    { status: 502, body: "Bad gateway", errcode: undefined },
  ])("reports HTTP $status with errcode $errcode", async ({ status, body, errcode }) => {
    const hs = fakeHomeserver({ status, body });
    const err = await registerUser({
      homeserverUrl: HS,
      sharedSecret: SECRET,
      username: "alice",
      password: "pw",
      admin: false,
      fetchFn: hs.fetchFn,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MatrixAdminError);
    expect((err as MatrixAdminError).status).toBe(status);
    expect((err as MatrixAdminError).errcode).toBe(errcode);
    expect((err as Error).message).toContain(`HTTP ${status}`);
    if (errcode) expect((err as Error).message).toContain(errcode);
  });
});
