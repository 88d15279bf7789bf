import { formatCityTime } from "@/lib/time/berlin-time";
import { ADMIN_PAGE_SIZE, listPeopleForAdmin, type AdminPersonRow } from "@/lib/people/admin-access";
import { portalRuntime } from "@/lib/portal/runtime";
import { PageShell } from "../../_components/page-shell";
import { AdminNav } from "../_components/admin-nav";
import { COMMON_ERRORS, DoneNotice, ErrorNotice } from "../_components/notices";
import { forbiddenUnlessAdmin, signedInOrHome } from "../_lib/admin-page";
import { eraseDataAction, lockAccessAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "Personen verwalten" };

type Search = {
  q?: string;
  seite?: string;
  bestaetigen?: string;
  gesperrt?: string;
  unvollstaendig?: string;
  fehler?: string;
  loeschen?: string;
  geloescht?: string;
};

const ERRORS: Record<string, string> = {
  ...COMMON_ERRORS,
  selbst: "Sie können Ihren eigenen Zugang nicht sperren.",
  unbekannt: "Diese Person ist nicht bekannt.",
  "selbst-loeschen": "Ihre eigenen Daten kann nur eine andere Person mit der Rolle Administration löschen.",
  chatserver: "Der Chat-Server ist gerade nicht erreichbar. Es wurde nichts als gelöscht markiert – bitte später erneut „Daten löschen“.",
  uebergabe: "Nicht alle Räume dieser Person konnten übergeben werden. Es wurde nichts gelöscht – bitte später erneut versuchen.",
  loeschen: "Die Löschung ist nicht vollständig gelungen – bitte erneut versuchen.",
};

function ConfirmErase({ person }: { person: AdminPersonRow }) {
  return (
    <section aria-labelledby="erase-heading" className="rounded-md border border-red-300 bg-red-50 p-4">
      <h2 id="erase-heading" className="text-lg font-semibold text-red-900">
        Alle Daten von {person.displayName} löschen?
      </h2>
      <p className="mt-2 text-slate-800">
        Das Chat-Konto wird endgültig deaktiviert und gelöscht (Name und Bild entfernt, Nachrichten für später
        Hinzukommende unsichtbar), alle Sitzungen enden, Räume, die nur diese Person verwaltet hat, bekommen eine neue
        Verwaltung, und das Portal ersetzt Name, E-Mail-Adresse und Benutzername durch eine Kennung. Das lässt sich
        nicht rückgängig machen. Laden Sie vorher bei Bedarf die Auskunft herunter. Im Protokoll bleibt nur ein
        Eintrag, wer wann die Daten gelöscht hat.
      </p>
      <form action={eraseDataAction} className="mt-4 flex flex-wrap items-center gap-3">
        <input type="hidden" name="personId" value={person.id} />
        <label className="flex items-center gap-2">
          <input type="checkbox" name="bestaetigt" value="ja" required />
          Ja, endgültig löschen
        </label>
        <button type="submit" className="rounded-md bg-red-700 px-4 py-2 font-semibold text-white hover:bg-red-900">
          Daten jetzt löschen
        </button>
        <a className="rounded-md border border-slate-300 px-4 py-2 hover:bg-slate-100" href="/admin/people">
          Abbrechen
        </a>
      </form>
    </section>
  );
}


function ConfirmLock({ person }: { person: AdminPersonRow }) {
  return (
    <section aria-labelledby="confirm-heading" className="rounded-md border border-red-300 bg-red-50 p-4">
      <h2 id="confirm-heading" className="text-lg font-semibold text-red-900">
        Zugang von {person.displayName} sperren?
      </h2>
      <p className="mt-2 text-slate-800">
        Alle Sitzungen im Portal enden, alle Chat-Geräte (auch Element) werden abgemeldet, und das Chat-Konto wird
        gesperrt. Räume, die nur diese Person verwaltet hat, bekommen eine neue Verwaltung. Der Vorgang wird
        protokolliert.
      </p>
      <div className="mt-4 flex gap-3">
        <form action={lockAccessAction}>
          <input type="hidden" name="personId" value={person.id} />
          <button type="submit" className="rounded-md bg-red-700 px-4 py-2 font-semibold text-white hover:bg-red-900">
            Zugang jetzt sperren
          </button>
        </form>
        <a className="rounded-md border border-slate-300 px-4 py-2 hover:bg-slate-100" href="/admin/people">
          Abbrechen
        </a>
      </div>
    </section>
  );
}

function PersonRow({ person, isSelf }: { person: AdminPersonRow; isSelf: boolean }) {
  return (
    <tr className="border-t border-slate-200">
      <th scope="row" className="py-2 pr-4 text-left font-medium">
        {person.displayName}
      </th>
      <td className="py-2 pr-4">{person.username ?? "–"}</td>
      <td className="py-2 pr-4">{person.departments.join(", ") || "–"}</td>
      <td className="py-2 pr-4">{person.role === "admin" ? "Administration" : "Mitarbeit"}</td>
      <td className="py-2 pr-4">
        {person.erased ? "Daten gelöscht" : person.disabledAt ? `gesperrt seit ${formatCityTime(person.disabledAt)}` : "aktiv"}
      </td>
      <td className="flex flex-wrap gap-2 py-2">
        <a
          href={`/admin/people/${person.id}/auskunft`}
          download
          className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100"
          aria-label={`Auskunft über ${person.displayName} herunterladen (JSON)`}
        >
          Auskunft
        </a>
        {isSelf || person.erased ? null : (
          <>
            <form method="get" action="/admin/people">
              <input type="hidden" name="bestaetigen" value={person.id} />
              <button type="submit" className="rounded-md border border-red-300 px-3 py-1 text-sm text-red-800 hover:bg-red-50">
                {person.disabledAt ? "Sperre wiederholen" : "Zugang sperren"}
              </button>
            </form>
            <form method="get" action="/admin/people">
              <input type="hidden" name="loeschen" value={person.id} />
              <button type="submit" className="rounded-md border border-red-300 px-3 py-1 text-sm text-red-800 hover:bg-red-50">
                Daten löschen
              </button>
            </form>
          </>
        )}
      </td>
    </tr>
  );
}

export default async function AdminPeoplePage({ searchParams }: { searchParams: Promise<Search> }) {
  const { config, db } = portalRuntime();
  const signedIn = await signedInOrHome();
  const search = await searchParams;
  const page = Math.min(10_000, Math.max(1, Number.parseInt(search.seite ?? "1", 10) || 1));
  const rows = await forbiddenUnlessAdmin(() => listPeopleForAdmin(db, signedIn.person.id, { q: search.q, page }));
  const confirm = rows.find((p) => p.id === search.bestaetigen && p.id !== signedIn.person.id);
  const locked = rows.find((p) => p.id === search.gesperrt);
  const confirmErase = rows.find((p) => p.id === search.loeschen && p.id !== signedIn.person.id && !p.erased);

  return (
    <PageShell cityName={config.cityName} path="/admin/people">
      <AdminNav current="/admin/people" />
      <h1 className="text-2xl font-bold text-brand-900">Personen verwalten</h1>
      {search.fehler ? (
        <ErrorNotice>{ERRORS[search.fehler] ?? "Das hat nicht geklappt."}</ErrorNotice>
      ) : null}
      {locked ? (
        <DoneNotice>
          Zugang von {locked.displayName} gesperrt.
          {search.unvollstaendig ? " Nicht alle Schritte sind gelungen – bitte „Sperre wiederholen“." : ""}
        </DoneNotice>
      ) : null}
      {search.geloescht && /^[0-9a-f-]{36}$/.test(search.geloescht) ? (
        <DoneNotice>Die Daten dieser Person sind gelöscht. Im Protokoll steht nur die Kennung {search.geloescht}.</DoneNotice>
      ) : null}
      {confirm ? <ConfirmLock person={confirm} /> : null}
      {confirmErase ? <ConfirmErase person={confirmErase} /> : null}
      <form method="get" action="/admin/people" className="flex gap-2">
        <label htmlFor="q" className="sr-only">
          Name oder Benutzername
        </label>
        <input id="q" name="q" defaultValue={search.q ?? ""} placeholder="Name oder Benutzername" className="rounded-md border border-slate-300 px-3 py-1.5" />
        <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-100">
          Suchen
        </button>
      </form>
      <table className="w-full text-left text-sm">
        <thead>
          <tr>
            <th scope="col" className="py-2 pr-4">Name</th>
            <th scope="col" className="py-2 pr-4">Benutzername</th>
            <th scope="col" className="py-2 pr-4">Bereiche</th>
            <th scope="col" className="py-2 pr-4">Rolle</th>
            <th scope="col" className="py-2 pr-4">Status</th>
            <th scope="col" className="py-2"><span className="sr-only">Aktion</span></th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <PersonRow key={p.id} person={p} isSelf={p.id === signedIn.person.id} />
          ))}
        </tbody>
      </table>
      {rows.length === ADMIN_PAGE_SIZE ? (
        <p>
          <a
            className="text-brand-700 underline"
            href={`/admin/people?${new URLSearchParams({ ...(search.q ? { q: search.q } : {}), seite: String(page + 1) })}`}
          >
            Weitere Personen
          </a>
        </p>
      ) : null}
    </PageShell>
  );
}
