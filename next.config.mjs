/**
 * Security headers (CSP with a per-request nonce, Permissions-Policy) are set
 * in proxy.ts, since they depend on the validated configuration.
 * @type {import('next').NextConfig}
 */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Server-only packages stay external so Node loads them as they are published.
  serverExternalPackages: ["pino", "pg", "matrix-bot-sdk", "oidc-provider", "@electric-sql/pglite"],
  typedRoutes: false,
  // `npm test` type-checks the whole project (portal, bots, scripts, tests) in its own phase.
  typescript: { ignoreBuildErrors: true },
  // forbidden(): a non-member asking for a room page gets a real 403.
  experimental: { authInterrupts: true },
};

export default nextConfig;
