import { forbidden, redirect } from "next/navigation";
import { currentSession, type SignedIn } from "@/lib/auth/current-session";
import { isAppError } from "@/lib/errors";
import { requireAdmin } from "@/lib/people/admin-access";
import { portalRuntime } from "@/lib/portal/runtime";

/**
 * The admin pages' guard. Signed out → the start page; signed in without the
 * admin role (read fresh from the database) → Next's 403 page.
 */

/** Runs an admin-only read; its `not-admin` refusal becomes the 403 page, anything else propagates. */
export async function forbiddenUnlessAdmin<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (isAppError(err) && err.code === "not-admin") forbidden();
    throw err;
  }
}

/** The signed-in person, or a redirect to the start page. */
export async function signedInOrHome(): Promise<SignedIn> {
  const signedIn = await currentSession();
  if (!signedIn) redirect("/");
  return signedIn;
}

/** For pages whose data read does not check the role itself: the signed-in admin, or redirect / 403. */
export async function requireAdminPage(): Promise<SignedIn> {
  const signedIn = await signedInOrHome();
  await forbiddenUnlessAdmin(() => requireAdmin(portalRuntime().db, signedIn.person.id));
  return signedIn;
}
