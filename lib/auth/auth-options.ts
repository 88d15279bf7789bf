import type { NextAuthOptions } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { portalRuntime } from "../portal/runtime";
import { decideAccess } from "./person-claims";
import { findPersonBySubject, upsertPersonFromSignIn } from "./people-store";
import { safeRedirectPath } from "./safe-redirect";
import { createPortalSession } from "./session-store";

type Claims = Record<string, unknown> & { sub: string };

/** After the portal sign-in, the browser picks up its Matrix session (see app/matrix/connect). */
export const AFTER_SIGN_IN = "/matrix/connect";

function oidcProvider(): OAuthConfig<Claims> {
  const { config } = portalRuntime();
  return {
    id: "oidc",
    name: config.cityName,
    type: "oauth",
    wellKnown: `${config.oidc.issuer}/.well-known/openid-configuration`,
    clientId: config.oidc.clientId,
    clientSecret: config.oidc.clientSecret,
    authorization: { params: { scope: config.oidc.scopes.join(" ") } },
    idToken: true,
    checks: ["pkce", "state", "nonce"],
    profile(claims) {
      const d = decideAccess(claims, config.oidc);
      return { id: d.profile?.subject ?? String(claims.sub), name: d.profile?.displayName ?? null, email: null };
    },
  };
}

let options: NextAuthOptions | undefined;

/** next-auth with the city's OpenID Connect provider; the cookie only names a server-side session. */
export function authOptions(): NextAuthOptions {
  if (options) return options;
  const { config, db, tokens, log } = portalRuntime();
  options = {
    secret: config.portal.authSecret,
    providers: [oidcProvider()],
    session: { strategy: "jwt", maxAge: config.session.maxHours * 3600 },
    // next-auth only shows its sign-in page for failed callbacks; both land on one explanation.
    pages: { signIn: "/anmeldung-fehlgeschlagen", error: "/anmeldung-fehlgeschlagen" },
    logger: {
      error: (code) => log.warn({ code }, "sign-in problem"),
      warn: (code) => log.debug({ code }, "next-auth warning"),
      debug: () => {},
    },
    callbacks: {
      async signIn({ profile }) {
        const decision = decideAccess((profile ?? {}) as Record<string, unknown>, config.oidc);
        if (!decision.allowed) {
          log.info({ reason: decision.reason }, "sign-in refused");
          return "/kein-zugang";
        }
        const existing = await findPersonBySubject(db, decision.profile.subject);
        if (existing?.disabledAt) return "/kein-zugang?grund=deaktiviert";
        return true;
      },
      async jwt({ token, account, profile }) {
        if (!account || !profile) return { sid: token.sid };
        // Sign-in: the person and a server-side session are recorded; the cookie carries only its id.
        const decision = decideAccess(profile as Record<string, unknown>, config.oidc);
        if (!decision.allowed) throw new Error("access refused");
        const now = new Date();
        const person = await upsertPersonFromSignIn(db, decision.profile, now);
        const sid = await createPortalSession(db, {
          personId: person.id,
          idpSessionId: typeof (profile as Claims).sid === "string" ? ((profile as Claims).sid as string) : null,
          idTokenEnc: account.id_token ? tokens.encrypt(account.id_token) : null,
          refreshTokenEnc: account.refresh_token ? tokens.encrypt(account.refresh_token) : null,
          now,
          maxHours: config.session.maxHours,
        });
        log.info({ personId: person.id, role: person.role }, "signed in");
        return { sid };
      },
      async session({ session }) {
        // Pages never read identity from here; they ask lib/auth/current-session (database-backed).
        return { expires: session.expires } as typeof session;
      },
      async redirect({ url }) {
        return `${config.portal.url}${safeRedirectPath(url, config.portal.url)}`;
      },
    },
  };
  return options;
}
