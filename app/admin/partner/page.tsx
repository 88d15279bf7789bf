import { listPartners, type PartnerWithServers } from "@/lib/federation/partners";
import { nextStatuses, STATUS_LABELS } from "@/lib/federation/partner-status";
import { portalRuntime } from "@/lib/portal/runtime";
import { formatCityTime } from "@/lib/time/berlin-time";
import { PageShell } from "../../_components/page-shell";
import { AdminNav } from "../_components/admin-nav";
import { COMMON_ERRORS, DoneNotice, ErrorNotice } from "../_components/notices";
import { requireAdminPage } from "../_lib/admin-page";
import { changePartnerStatusAction } from "./actions";
import { PartnerForm } from "./partner-form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Partnerorganisationen" };

type Search = { gespeichert?: string; status?: string; fehler?: string; bearbeiten?: string };

const ERRORS: Record<string, string> = {
  ...COMMON_ERRORS,
  status: "Dieser Statuswechsel ist nicht möglich (beantragt → freigegeben → gesperrt → freigegeben).",
  unbekannt: "Diesen Partner gibt es nicht.",
};

const ACTION_LABELS = { approved: "Freigeben", suspended: "Sperren" } as const;

function PartnerRow({ partner, editing }: { partner: PartnerWithServers; editing: boolean }) {
  return (
    <li className="rounded-md border border-slate-200 p-4" data-testid="partner">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="text-lg font-semibold">{partner.name}</h3>
        <span className={partner.status === "approved" ? "text-green-800" : partner.status === "suspended" ? "text-red-800" : "text-slate-700"}>
          {STATUS_LABELS[partner.status]} seit {formatCityTime(partner.updatedAt)}
        </span>
      </div>
      <p className="text-sm text-slate-700">Server: {partner.serverNames.join(", ")}</p>
      {partner.contact ? <p className="text-sm text-slate-700">Kontakt: {partner.contact}</p> : null}
      <div className="mt-2 flex flex-wrap gap-2">
        {nextStatuses(partner.status).map((to) => (
          <form key={to} action={changePartnerStatusAction}>
            <input type="hidden" name="partnerId" value={partner.id} />
            <input type="hidden" name="status" value={to} />
            <button
              type="submit"
              className={
                to === "suspended"
                  ? "rounded-md border border-red-300 px-3 py-1 text-sm text-red-800 hover:bg-red-50"
                  : "rounded-md border border-green-700 px-3 py-1 text-sm text-green-900 hover:bg-green-50"
              }
            >
              {to === "approved" && partner.status === "suspended" ? "Wieder freigeben" : ACTION_LABELS[to as keyof typeof ACTION_LABELS]}
            </button>
          </form>
        ))}
        {editing ? null : (
          <a className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100" href={`/admin/partner?bearbeiten=${partner.id}`}>
            Bearbeiten
          </a>
        )}
      </div>
      {editing ? (
        <div className="mt-3">
          <PartnerForm
            initial={{ partnerId: partner.id, name: partner.name, contact: partner.contact, servers: partner.serverNames.join(", ") }}
            submitLabel="Änderungen speichern"
          />
        </div>
      ) : null}
    </li>
  );
}

export default async function AdminPartnerPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requireAdminPage();
  const { config, db } = portalRuntime();
  const search = await searchParams;
  const partners = await listPartners(db);

  return (
    <PageShell cityName={config.cityName} path="/admin/partner">
      <AdminNav current="/admin/partner" />
      <h1 className="text-2xl font-bold text-brand-900">Partnerorganisationen</h1>
      <p className="text-slate-800">
        Die Unternehmen der Stadt betreiben eigene Matrix-Server. Nur <strong>freigegebene</strong> Partner können mit dem Server der
        Stadt föderieren, und nur in Räumen, deren Verwaltung den Raum für sie geöffnet hat. Alle Änderungen werden protokolliert.
      </p>
      <p role="note" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
        <strong>Neustart nötig:</strong> Räume und Zugriffsregeln (Server-ACL) folgen einer Freigabe oder Sperre sofort, und Personen
        eines gesperrten Partners werden aus allen Räumen entfernt. Die Liste der Server, mit denen der Homeserver überhaupt
        föderiert, liest Synapse aber nur beim Start: Nach einer Freigabe, Sperre oder geänderten Servernamen den Homeserver neu
        starten (mit <code>npm start</code> genügt ein Neustart des Dienstes).
      </p>
      {search.fehler ? (
        <ErrorNotice>{ERRORS[search.fehler] ?? "Das hat nicht geklappt."}</ErrorNotice>
      ) : null}
      {search.gespeichert ? (
        <DoneNotice>Gespeichert.</DoneNotice>
      ) : null}
      {search.status ? (
        <DoneNotice>Status geändert: {search.status === "approved" ? "freigegeben" : "gesperrt"}. Bitte den Homeserver neu starten.</DoneNotice>
      ) : null}
      <section aria-labelledby="partner-list">
        <h2 id="partner-list" className="text-xl font-semibold">Partner</h2>
        {partners.length === 0 ? <p className="text-slate-700">Noch keine Partner angelegt.</p> : null}
        <ul className="mt-2 flex flex-col gap-3">
          {partners.map((p) => (
            <PartnerRow key={p.id} partner={p} editing={search.bearbeiten === p.id} />
          ))}
        </ul>
      </section>
      <section aria-labelledby="partner-new" className="rounded-md border border-slate-200 p-4">
        <h2 id="partner-new" className="text-xl font-semibold">Partner anlegen</h2>
        <p className="text-sm text-slate-700">Ein neuer Partner ist zunächst „beantragt“ und föderiert erst nach der Freigabe.</p>
        <PartnerForm initial={{ name: "", contact: "", servers: "" }} submitLabel="Partner anlegen" />
      </section>
    </PageShell>
  );
}
