import { requestMessages } from "@/lib/i18n/request-locale";
import { portalRuntime } from "@/lib/portal/runtime";
import { PageShell } from "../_components/page-shell";

export const dynamic = "force-dynamic";
export const metadata = { title: "Anmeldung fehlgeschlagen / Sign-in failed" };

const KNOWN = ["AccessDenied", "matrix-state", "matrix-identity", "matrix-homeserver"] as const;

export default async function SignInFailedPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { config } = portalRuntime();
  const { t } = await requestMessages();
  const { error } = await searchParams;
  const known = KNOWN.find((k) => k === error);
  return (
    <PageShell cityName={config.cityName}>
      <h1 className="text-2xl font-bold text-brand-900">{t.signInFailed.title}</h1>
      <p className="text-lg text-slate-700">{known ? t.signInFailed[known] : t.signInFailed.generic}</p>
      <p>
        <a className="text-brand-700 underline" href="/">
          {t.common.toStart}
        </a>
      </p>
    </PageShell>
  );
}
