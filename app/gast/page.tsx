import type { Metadata } from "next";
import { requestLocale } from "@/lib/i18n/request-locale";
import { portalRuntime } from "@/lib/portal/runtime";
import { GuestLanding } from "./_components/guest-landing";

export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Als Gast teilnehmen",
  // The link's secret is in the fragment; nothing of this page may travel on in a Referer.
  referrer: "no-referrer",
  robots: { index: false, follow: false },
};

/**
 * Landing page of a guest link (`/gast#<secret>`). The secret never reaches
 * the server in a URL: the page's script reads the fragment, removes it from
 * the address bar and posts it to the guest API.
 */
export default async function GuestLandingPage() {
  const { config } = portalRuntime();
  const locale = await requestLocale();
  return <GuestLanding cityName={config.cityName} initialLocale={locale === "en" ? "en" : "de"} />;
}
