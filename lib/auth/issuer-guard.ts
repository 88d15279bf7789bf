import { z } from "zod";

const DEMO_PROVIDER_MARKER = "stadtfunk_demo_provider";

/**
 * The embedded demo identity provider signs in anyone who knows the demo
 * password. Outside demo mode the portal refuses to start against it, even
 * if someone pointed OIDC_ISSUER at it by mistake.
 */
export async function assertTrustedIssuer(issuer: string, demo: boolean, fetchFn: typeof fetch = fetch): Promise<void> {
  if (demo) return;
  let metadata: Record<string, unknown>;
  try {
    const res = await fetchFn(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5_000) });
    metadata = z.record(z.string(), z.unknown()).parse(await res.json());
  } catch {
    return; // Unreachable at start: /api/health reports it; sign-in fails until it answers.
  }
  if (metadata[DEMO_PROVIDER_MARKER] === true) {
    throw new Error(
      `OIDC_ISSUER: ${issuer} is the embedded demo identity provider, which is trusted only with STADTFUNK_DEMO=true`,
    );
  }
}
