import { cookies } from "next/headers";
import { DEFAULT_LOCALE, LOCALE_COOKIE, isLocale, localeTag, messagesFor, type Locale } from "./translate";

/** German first: English only when the person chose it with the language switch (a cookie). */
export async function requestLocale(): Promise<Locale> {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  return isLocale(chosen) ? chosen : DEFAULT_LOCALE;
}

export async function requestMessages() {
  const locale = await requestLocale();
  return { locale, tag: localeTag(locale), t: messagesFor(locale) };
}
