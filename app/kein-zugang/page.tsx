import { portalRuntime } from "@/lib/portal/runtime";
import { PageShell } from "../_components/page-shell";

export const dynamic = "force-dynamic";
export const metadata = { title: "Kein Zugang" };

export default async function NoAccessPage({ searchParams }: { searchParams: Promise<{ grund?: string }> }) {
  const { config } = portalRuntime();
  const { grund } = await searchParams;
  return (
    <PageShell cityName={config.cityName}>
      <h1 className="text-2xl font-bold text-brand-900">Kein Zugang zu Stadtfunk</h1>
      <p className="text-lg text-slate-700">
        {grund === "deaktiviert"
          ? "Ihr Konto ist für Stadtfunk gesperrt."
          : "Ihr Dienstkonto gehört zu keiner Gruppe, die Stadtfunk nutzen darf."}{" "}
        Wenden Sie sich bitte an die IT Ihrer Verwaltung, wenn Sie Zugang brauchen.
      </p>
      <p lang="en" className="text-slate-600">
        No access: your account is not in a group allowed to use Stadtfunk. Please contact your IT department.
      </p>
    </PageShell>
  );
}
