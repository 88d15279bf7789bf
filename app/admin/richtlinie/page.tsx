import { formValuesFromPolicy } from "@/lib/policy/policy-form";
import { readCurrentPolicy } from "@/lib/policy/policy-store";
import { portalRuntime } from "@/lib/portal/runtime";
import { formatCityTime } from "@/lib/time/berlin-time";
import { PageShell } from "../../_components/page-shell";
import { AdminNav } from "../_components/admin-nav";
import { requireAdminPage } from "../_lib/admin-page";
import { PolicyForm } from "./policy-form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Nutzungsrichtlinie" };

export default async function UsagePolicyAdminPage() {
  await requireAdminPage();
  const { config, db } = portalRuntime();
  const current = await readCurrentPolicy(db);
  return (
    <PageShell cityName={config.cityName} path="/admin/richtlinie">
      <AdminNav current="/admin/richtlinie" />
      <h1 className="text-2xl font-bold text-brand-900">Nutzungsrichtlinie</h1>
      <p className="text-slate-800">
        {current.version === 0
          ? "In Kraft: die mitgelieferten Voreinstellungen."
          : `In Kraft: Version ${current.version}, gespeichert am ${formatCityTime(current.createdAt!)}.`}{" "}
        Die Regeln gelten in allen verwalteten Räumen, auch für Element-Nutzende; der Regel-Bot setzt sie innerhalb weniger
        Sekunden durch. Jede Änderung wird als neue Version gespeichert und mit vorher und nachher protokolliert. Bei
        einem Fehler bleibt die bisherige Version in Kraft.
      </p>
      <PolicyForm current={formValuesFromPolicy(current.policy)} />
    </PageShell>
  );
}
