/** Reachability of the services the portal depends on, for /api/health. */

export type ComponentName = "homeserver" | "database" | "identityProvider";

export interface ComponentHealth {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

export interface HealthReport {
  status: "ok" | "degraded";
  checkedAt: string;
  components: Record<ComponentName, ComponentHealth>;
}

export type Probe = () => Promise<void>;

const PROBE_TIMEOUT_MS = 2_000;

async function runProbe(probe: Probe, timeoutMs: number): Promise<ComponentHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    // Only the message: a health endpoint is public and must not leak stack traces.
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: message };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkHealth(
  probes: Record<ComponentName, Probe>,
  opts: { timeoutMs?: number; now?: () => Date } = {},
): Promise<HealthReport> {
  const timeoutMs = opts.timeoutMs ?? PROBE_TIMEOUT_MS;
  const names = Object.keys(probes) as ComponentName[];
  const results = await Promise.all(names.map((n) => runProbe(probes[n], timeoutMs)));
  const components = Object.fromEntries(names.map((n, i) => [n, results[i]])) as HealthReport["components"];
  return {
    status: results.every((r) => r.ok) ? "ok" : "degraded",
    checkedAt: (opts.now?.() ?? new Date()).toISOString(),
    components,
  };
}

/** A probe that succeeds when GET url answers 2xx. */
export function httpProbe(url: string, fetchFn: typeof fetch = fetch): Probe {
  return async () => {
    const res = await fetchFn(url, { cache: "no-store", signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    if (!res.ok) throw new Error(`HTTP ${res.status} from ${new URL(url).origin}`);
  };
}
