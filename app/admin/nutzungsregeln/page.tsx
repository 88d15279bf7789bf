import { currentUsageRules } from "@/lib/guests/usage-rules";
import { isConsentTrackingOn } from "@/lib/policy/staff-consent";
import { portalRuntime } from "@/lib/portal/runtime";
import { formatCityTime } from "@/lib/time/berlin-time";
import { PageShell } from "../../_components/page-shell";
import { AdminNav } from "../_components/admin-nav";
import { requireAdminPage } from "../_lib/admin-page";
import { RulesForm } from "./rules-form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Nutzungsregeln und Datenschutzhinweis" };

export default async function UsageRulesAdminPage() {
  await requireAdminPage();
  const { config, db } = portalRuntime();
  const rules = await currentUsageRules(db);
  const isHomeserverTracking = await isConsentTrackingOn(config.matrix.homeserverUrl);
  return (
    <PageShell cityName={config.cityName} path="/admin/nutzungsregeln">
      <AdminNav current="/admin/nutzungsregeln" />
      <h1 className="text-2xl font-bold text-brand-900">Nutzungsregeln und Datenschutzhinweis</h1>
      <p className="text-slate-800">
        In Kraft: Version {rules.version}, {rules.createdBy ? "veröffentlicht" : "mitgeliefert"} am{" "}
        {formatCityTime(rules.createdAt)}. Gäste stimmen diesen Texten zu, bevor sie einen Raum betreten. Eine neue
        Version gilt sofort; wer einer älteren zugestimmt hat, stimmt beim nächsten Besuch erneut zu. Frühere Versionen
        und Zustimmungen bleiben gespeichert. <code>{"{stadt}"}</code> wird durch den Namen der Stadt ersetzt.
      </p>
      {isHomeserverTracking ? (
        <p role="note" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
          Der Homeserver verlangt die Zustimmung auch in Element (Zustimmungsverfolgung ist eingeschaltet). Er liest die
          gültige Version nur beim Start: Nach dem Veröffentlichen einer neuen Version muss der Homeserver neu gestartet
          werden, damit Beschäftigte, die nur Element nutzen, der neuen Fassung zustimmen müssen.
        </p>
      ) : null}
      <RulesForm
        current={{ textDe: rules.textDe, textEn: rules.textEn, privacyDe: rules.privacyDe, privacyEn: rules.privacyEn }}
      />
    </PageShell>
  );
}
