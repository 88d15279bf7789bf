import net from "node:net";

/** Resolves when nothing listens on host:port; otherwise throws naming the port and its setting. */
export async function assertPortFree(port: number, setting: string, host = "127.0.0.1"): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
  if (!free) throw new Error(`Port ${port} is already in use (${setting}). Stop what runs there or choose another port.`);
}

/** A free loopback port chosen by the OS (for tests and benchmarks). */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

/** Distinct free loopback ports: all are held open together so none is handed out twice. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      const server = net.createServer();
      return new Promise<net.Server>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve(server));
      });
    }),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** Polls until fn resolves truthy or the deadline passes. */
export async function waitFor(
  what: string,
  fn: () => Promise<boolean>,
  opts: { timeoutMs: number; intervalMs?: number; isAlive?: () => boolean },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  while (Date.now() < deadline) {
    if (opts.isAlive && !opts.isAlive()) throw new Error(`${what} exited during start-up`);
    if (await fn().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
  }
  throw new Error(`${what} did not become ready within ${Math.round(opts.timeoutMs / 1000)} s`);
}

export async function httpOk(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  return res.ok;
}
