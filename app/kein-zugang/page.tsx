import { requestMessages } from "@/lib/i18n/request-locale";
import { portalRuntime } from "@/lib/portal/runtime";
import { PageShell } from "../_components/page-shell";

export const dynamic = "force-dynamic";
export const metadata = { title: "Kein Zugang / No access" };

export default async function NoAccessPage({ searchParams }: { searchParams: Promise<{ grund?: string }> }) {
  const { config } = portalRuntime();
  const { t } = await requestMessages();
  const { grund } = await searchParams;
  return (
    <PageShell cityName={config.cityName} path="/kein-zugang">
      <h1 className="text-2xl font-bold text-brand-900">{t.noAccess.title}</h1>
      <p className="text-lg text-slate-700">
        {grund === "deaktiviert" ? t.noAccess.disabled : t.noAccess.notInGroup} {t.noAccess.contactIt}
      </p>
    </PageShell>
  );
}
