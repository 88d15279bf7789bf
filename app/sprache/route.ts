import { NextResponse, type NextRequest } from "next/server";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { LOCALE_COOKIE, isLocale } from "@/lib/i18n/translate";
import { portalRuntime } from "@/lib/portal/runtime";

/** The language switch: remembers the choice for a year and returns to the page it came from. */
export async function POST(req: NextRequest) {
  const { config } = portalRuntime();
  const form = await req.formData();
  const lang = form.get("lang");
  if (!isLocale(lang)) return Response.json({ error: "Unbekannte Sprache / unknown language" }, { status: 400 });
  const back = safeRedirectPath(String(form.get("back") ?? "/"), config.portal.url);
  const res = NextResponse.redirect(new URL(back, config.portal.url), 303);
  res.cookies.set(LOCALE_COOKIE, lang, {
    maxAge: 365 * 24 * 3600,
    sameSite: "lax",
    httpOnly: true,
    secure: config.portal.url.startsWith("https:"),
    path: "/",
  });
  return res;
}
