import { describe, expect, it } from "vitest";
import { checkHealth, httpProbe } from "./check-health";

const ok = async () => {};
const down = async () => {
  throw new Error("connect ECONNREFUSED 127.0.0.1:8008");
};

describe("checkHealth", () => {
  it("is ok when every component answers", async () => {
    const r = await checkHealth({ homeserver: ok, database: ok, identityProvider: ok });
    expect(r.status).toBe("ok");
    expect(Object.values(r.components).every((c) => c.ok)).toBe(true);
  });

  it.each(["homeserver", "database", "identityProvider"] as const)(
    "is degraded and names the cause when %s is down",
    async (name) => {
      const probes = { homeserver: ok, database: ok, identityProvider: ok, [name]: down };
      const r = await checkHealth(probes);
      expect(r.status).toBe("degraded");
      expect(r.components[name]).toMatchObject({ ok: false, error: "connect ECONNREFUSED 127.0.0.1:8008" });
    },
  );

  it("treats a hanging component as down after the timeout", async () => {
    const hang = () => new Promise<void>(() => {});
    const r = await checkHealth({ homeserver: hang, database: ok, identityProvider: ok }, { timeoutMs: 20 });
    expect(r.components.homeserver.ok).toBe(false);
    expect(r.components.homeserver.error).toContain("20 ms");
  });

  it("httpProbe fails on a non-2xx answer", async () => {
    const fakeFetch = (async () => new Response("", { status: 502 })) as typeof fetch;
    await expect(httpProbe("http://127.0.0.1:1/x", fakeFetch)()).rejects.toThrow("HTTP 502");
  });
});
