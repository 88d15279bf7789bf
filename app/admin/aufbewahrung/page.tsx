import { lifecycleOverviewForAdmin, portalLastActivity, REPORT_HORIZON_DAYS, type LifecycleOverview } from "@/lib/lifecycle/retention-admin";
import type { DryRunRow } from "@/lib/lifecycle/room-plan";
import { portalRuntime } from "@/lib/portal/runtime";
import { formatCityTime } from "@/lib/time/berlin-time";
import { PageShell } from "../../_components/page-shell";
import { AdminNav } from "../_components/admin-nav";
import { COMMON_ERRORS, DoneNotice, ErrorNotice } from "../_components/notices";
import { forbiddenUnlessAdmin, signedInOrHome } from "../_lib/admin-page";
import { keepRoomAction, releaseKeepAction, retryJobAction, setRoomPeriodAction } from "./actions";
import { PolicyForm } from "./policy-form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Aufbewahrung und Löschung" };

type Search = { fehler?: string; meldung?: string; behalten?: string; freigegeben?: string; frist?: string; erneut?: string };

const DONE: [keyof Search, string][] = [
  ["behalten", "Der Raum wird dauerhaft behalten."],
  ["freigegeben", "Der Raum folgt wieder der Richtlinie."],
  ["frist", "Die Frist des Raums ist gespeichert."],
  ["erneut", "Der Auftrag wird erneut versucht."],
];
const KIND: Record<string, string> = { meeting: "Besprechung", team: "Teamraum", direct: "Direktchat" };
const STATE: Record<DryRunRow["state"], string> = {
  kept: "dauerhaft behalten",
  deleting: "wird gelöscht",
  failed: "Fehler – siehe unten",
  announced: "angekündigt",
  scheduled: "geplant",
};

function policyValues(p: LifecycleOverview["policy"]): Record<string, string> {
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v === null ? "" : String(v)]));
}

function UpcomingRow({ row }: { row: DryRunRow }) {
  return (
    <tr className="border-t border-slate-200 align-top">
      <th scope="row" className="py-2 pr-4 text-left font-medium">
        <a className="underline" href={`/rooms/${encodeURIComponent(row.matrixRoomId)}`}>
          {row.name}
        </a>
      </th>
      <td className="py-2 pr-4">{KIND[row.kind]}</td>
      <td className="py-2 pr-4">{row.plannedAt ? formatCityTime(row.plannedAt) : "–"}</td>
      <td className="py-2 pr-4">
        {STATE[row.state]}
        {row.postponed ? " (verschoben)" : ""}
        {row.keepReason ? `: ${row.keepReason}` : ""}
      </td>
      <td className="py-2">
        {row.state === "kept" ? (
          <form action={releaseKeepAction}>
            <input type="hidden" name="roomId" value={row.matrixRoomId} />
            <button type="submit" className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100">
              Nicht mehr behalten
            </button>
          </form>
        ) : row.state === "deleting" ? null : (
          <div className="flex flex-col gap-2">
            <form action={keepRoomAction} className="flex flex-wrap items-center gap-2">
              <input type="hidden" name="roomId" value={row.matrixRoomId} />
              <label className="sr-only" htmlFor={`reason-${row.roomId}`}>
                Begründung für {row.name}
              </label>
              <input id={`reason-${row.roomId}`} name="reason" required minLength={5} placeholder="Begründung" className="rounded-md border border-slate-300 px-2 py-1 text-sm" />
              <button type="submit" className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100">
                Dauerhaft behalten
              </button>
            </form>
            <form action={setRoomPeriodAction} className="flex flex-wrap items-center gap-2">
              <input type="hidden" name="roomId" value={row.matrixRoomId} />
              <label className="text-sm" htmlFor={`days-${row.roomId}`}>
                Eigene Frist (Tage)
              </label>
              <input id={`days-${row.roomId}`} name="days" inputMode="numeric" className="w-20 rounded-md border border-slate-300 px-2 py-1 text-sm" />
              <button type="submit" className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100">
                Setzen
              </button>
            </form>
          </div>
        )}
      </td>
    </tr>
  );
}

export default async function RetentionAdminPage({ searchParams }: { searchParams: Promise<Search> }) {
  const { config, db } = portalRuntime();
  const signedIn = await signedInOrHome();
  const search = await searchParams;
  const overview = await forbiddenUnlessAdmin(() => lifecycleOverviewForAdmin(db, signedIn.person.id, new Date(), portalLastActivity(config)));
  const notice = search.fehler ? COMMON_ERRORS[search.fehler] : search.meldung;
  const done = DONE.find(([k]) => search[k]);
  return (
    <PageShell cityName={config.cityName} path="/admin/aufbewahrung">
      <AdminNav current="/admin/aufbewahrung" />
      <h1 className="text-2xl font-bold text-brand-900">Aufbewahrung und Löschung</h1>
      {notice && (
        <ErrorNotice>{notice}</ErrorNotice>
      )}
      {done && (
        <DoneNotice>{done[1]}</DoneNotice>
      )}
      <section aria-labelledby="policy-heading" className="flex flex-col gap-3">
        <h2 id="policy-heading" className="text-xl font-semibold">
          Richtlinie {overview.policy.version > 0 ? `(Version ${overview.policy.version})` : "(Voreinstellung)"}
        </h2>
        <p className="text-slate-700">
          Vor jeder Löschung kündigt der Dienst sie im Raum an. Die Fristen erscheinen auch im Datenschutzhinweis für Gäste.
        </p>
        <PolicyForm current={policyValues(overview.policy)} />
      </section>
      <section aria-labelledby="upcoming-heading" className="flex flex-col gap-3">
        <h2 id="upcoming-heading" className="text-xl font-semibold">
          Anstehende Löschungen (nächste {REPORT_HORIZON_DAYS} Tage) und behaltene Räume
        </h2>
        <p>
          <a className="text-brand-700 underline" href="/admin/aufbewahrung/bericht.csv" download>
            Löschplan als CSV herunterladen (für die Datenschutzbeauftragte)
          </a>
        </p>
        {overview.upcoming.length === 0 ? (
          <p className="text-slate-700">In diesem Zeitraum wird kein Raum gelöscht.</p>
        ) : (
          <table className="w-full text-left">
            <thead>
              <tr>
                <th scope="col">Raum</th>
                <th scope="col">Art</th>
                <th scope="col">Löschung</th>
                <th scope="col">Stand</th>
                <th scope="col">Aktion</th>
              </tr>
            </thead>
            <tbody>
              {overview.upcoming.map((row) => (
                <UpcomingRow key={row.roomId} row={row} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      {overview.flagged.length > 0 && (
        <section aria-labelledby="flagged-heading" className="flex flex-col gap-3">
          <h2 id="flagged-heading" className="text-xl font-semibold text-red-900">
            Fehlgeschlagen – bitte prüfen
          </h2>
          <ul className="flex flex-col gap-2">
            {overview.flagged.map((job) => (
              <li key={job.id} className="flex flex-wrap items-center gap-3">
                <span>
                  {job.kind === "room_delete" ? "Raum" : "Gastkonto"} <code>{job.target}</code>: {job.lastError ?? "unbekannt"}
                </span>
                <form action={retryJobAction}>
                  <input type="hidden" name="jobId" value={job.id} />
                  <button type="submit" className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100">
                    Erneut versuchen
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </section>
      )}
    </PageShell>
  );
}
