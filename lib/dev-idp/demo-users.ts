import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Demo staff of the fictional city "Musterstadt" for the development identity
 * provider. DEMO ONLY: every account shares one public password, so this
 * module must never back a real deployment (the entry point refuses to start
 * unless STADTFUNK_DEMO=true).
 */

/** The one password of all demo accounts. Public on purpose; demo only. */
export const DEMO_PASSWORD = "stadtfunk";

/** The group whose members administer Stadtfunk. */
export const ADMIN_GROUP = "stadtfunk-admins";

export interface DemoUser {
  /** Stable opaque subject; never the username, so renames cannot re-link accounts. */
  sub: string;
  username: string;
  name: string;
  givenName: string;
  familyName: string;
  email: string;
  groups: readonly string[];
  /** What the user is for in tests: admin, ordinary staff, or someone without access. */
  role: "admin" | "staff" | "no-access";
}

export const DEMO_USERS: readonly DemoUser[] = [
  {
    sub: "ce5346e9-61e3-4228-8bc4-5a9430625dcb",
    username: "anna.admin",
    name: "Anna Admin",
    givenName: "Anna",
    familyName: "Admin",
    email: "anna.admin@musterstadt.example",
    groups: [ADMIN_GROUP, "it"],
    role: "admin",
  },
  {
    sub: "8b3e8e81-fa1c-463e-8ab9-cab8823ae39f",
    username: "bernd.bauamt",
    name: "Bernd Bauer",
    givenName: "Bernd",
    familyName: "Bauer",
    email: "bernd.bauamt@musterstadt.example",
    groups: ["bauamt"],
    role: "staff",
  },
  {
    sub: "6522aae9-189f-442e-ba0c-5e0d28bd5df7",
    username: "clara.kaemmerei",
    name: "Clara Kämmerer",
    givenName: "Clara",
    familyName: "Kämmerer",
    email: "clara.kaemmerei@musterstadt.example",
    groups: ["kaemmerei"],
    role: "staff",
  },
  {
    sub: "2a4df475-1df1-4741-90bb-c60716c2611e",
    username: "dieter.bauamt",
    name: "Dieter Dach",
    givenName: "Dieter",
    familyName: "Dach",
    email: "dieter.bauamt@musterstadt.example",
    groups: ["bauamt"],
    role: "staff",
  },
  {
    sub: "b9c5f095-dbec-4ab1-973d-cd8329b5d0a4",
    username: "erika.extern",
    name: "Erika Extern",
    givenName: "Erika",
    familyName: "Extern",
    email: "erika.extern@musterstadt.example",
    groups: ["praktikum"],
    role: "no-access",
  },
];

/** The claims the identity provider can release for a user, keyed by OIDC claim name. */
export function claimsFor(user: DemoUser) {
  return {
    sub: user.sub,
    preferred_username: user.username,
    name: user.name,
    given_name: user.givenName,
    family_name: user.familyName,
    email: user.email,
    email_verified: true,
    groups: [...user.groups],
  };
}

export type LoginResult =
  | { ok: true; user: DemoUser }
  | { ok: false; reason: "unknown-user" | "wrong-password" | "disabled" };

/** In-memory user directory; `setDisabled` lets tests play a leaver at runtime. */
export interface UserStore {
  list(): DemoUser[];
  findByUsername(username: string): DemoUser | undefined;
  /** Enabled users only: a disabled account is invisible to token and userinfo lookups. */
  findActiveBySub(sub: string): DemoUser | undefined;
  isDisabled(username: string): boolean;
  setDisabled(username: string, disabled: boolean): void;
  verify(username: string, password: string): LoginResult;
}

// Compare digests so the comparison time does not depend on the input length.
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(a), digest(b));
}

export function createUserStore(
  users: readonly DemoUser[] = DEMO_USERS,
  password: string = DEMO_PASSWORD,
): UserStore {
  const byUsername = new Map(users.map((u) => [u.username, u]));
  const bySub = new Map(users.map((u) => [u.sub, u]));
  if (byUsername.size !== users.length || bySub.size !== users.length) {
    throw new Error("demo users must have unique usernames and subjects");
  }
  const disabled = new Set<string>();

  return {
    list: () => [...users],
    findByUsername: (username) => byUsername.get(username.trim().toLowerCase()),
    findActiveBySub(sub) {
      const user = bySub.get(sub);
      return user && !disabled.has(user.username) ? user : undefined;
    },
    isDisabled: (username) => disabled.has(username),
    setDisabled(username, value) {
      const user = byUsername.get(username);
      if (!user) throw new Error(`unknown demo user: ${username}`);
      if (value) disabled.add(user.username);
      else disabled.delete(user.username);
    },
    verify(username, given) {
      const user = byUsername.get(username.trim().toLowerCase());
      // Check the password even for unknown users so both failures look alike.
      const passwordOk = sameSecret(given, password);
      if (!user) return { ok: false, reason: "unknown-user" };
      if (!passwordOk) return { ok: false, reason: "wrong-password" };
      if (disabled.has(user.username)) return { ok: false, reason: "disabled" };
      return { ok: true, user };
    },
  };
}
