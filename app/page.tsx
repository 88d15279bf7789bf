import { currentSession } from "@/lib/auth/current-session";
import { AFTER_SIGN_IN } from "@/lib/auth/auth-options";
import { portalRuntime } from "@/lib/portal/runtime";
import { listRoomsFor } from "@/lib/rooms/room-list";
import { formatCityTime } from "@/lib/time/berlin-time";
import { PageShell } from "./_components/page-shell";
import { SignInButton } from "./_components/sign-in-button";

export const dynamic = "force-dynamic";

const kindLabels = { meeting: "Besprechung", team: "Teamraum", direct: "Einzelchat" } as const;

export default async function HomePage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const { config, db } = portalRuntime();
  const signedIn = await currentSession();

  if (!signedIn) {
    return (
      <PageShell cityName={config.cityName}>
        <section className="flex flex-col gap-4">
          <h1 className="text-3xl font-bold text-brand-900">Stadtfunk</h1>
          <p className="text-lg text-slate-700">
            Chat und Videokonferenzen der Stadtverwaltung {config.cityName} – betrieben in der eigenen Infrastruktur.
          </p>
          <div>
            <SignInButton label="Mit dem Dienstkonto anmelden" callbackUrl={AFTER_SIGN_IN} />
          </div>
          <p className="text-sm text-slate-600">
            Sie melden sich mit Ihrem gewohnten Dienstkonto an (Single Sign-on). Ein weiteres Passwort gibt es nicht.
          </p>
        </section>
      </PageShell>
    );
  }

  const { person, session } = signedIn;
  const { q } = await searchParams;
  const search = typeof q === "string" ? q.slice(0, 100) : "";
  const myRooms = await listRoomsFor(db, person, { search });
  const signOut = (
    <form method="post" action="/abmelden">
      <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100">
        Abmelden
      </button>
    </form>
  );
  return (
    <PageShell cityName={config.cityName} actions={signOut}>
      <section>
        <h1 className="text-2xl font-bold text-brand-900">Willkommen, {person.displayName}</h1>
        <dl className="mt-4 grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-slate-800">
          <dt className="font-medium">Bereiche</dt>
          <dd>{person.departments.length > 0 ? person.departments.join(", ") : "–"}</dd>
          <dt className="font-medium">Rolle</dt>
          <dd>{person.role === "admin" ? "Administration" : "Mitarbeiterin / Mitarbeiter"}</dd>
          <dt className="font-medium">Matrix-Konto</dt>
          <dd data-testid="matrix-user-id">
            {session.matrixUserId ?? (
              <a className="text-brand-700 underline" href="/matrix/connect">
                Jetzt verbinden
              </a>
            )}
          </dd>
        </dl>
      </section>

      <section aria-labelledby="rooms-heading" className="flex flex-col gap-4">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="rooms-heading" className="text-xl font-semibold">
            Meine Räume und Besprechungen
          </h2>
          <a href="/rooms/new" className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-900">
            Neuer Raum
          </a>
        </div>
        <form role="search" className="flex gap-2">
          <label htmlFor="q" className="sr-only">
            Räume durchsuchen
          </label>
          <input id="q" name="q" defaultValue={search} placeholder="Räume durchsuchen" className="w-full rounded-md border border-slate-400 px-3 py-2" />
          <button type="submit" className="rounded-md border border-slate-400 px-4 py-2">
            Suchen
          </button>
        </form>
        {myRooms.length === 0 ? (
          <p className="text-slate-700">{search ? "Keine Räume gefunden." : "Noch keine Räume."}</p>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid="room-list">
            {myRooms.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 p-4">
                <div>
                  <a href={`/rooms/${encodeURIComponent(r.matrixRoomId!)}`} className="font-medium text-brand-700 underline">
                    {r.name}
                  </a>
                  <p className="text-sm text-slate-600">
                    {kindLabels[r.kind]}
                    {r.startsAt ? ` · ${formatCityTime(r.startsAt)}` : ""}
                  </p>
                </div>
                {r.startsAt && (
                  <a className="text-sm text-brand-700 underline" href={`/rooms/${encodeURIComponent(r.matrixRoomId!)}/termin.ics`} download>
                    <span aria-hidden="true">📅 </span>Kalender<span className="sr-only"> für {r.name}</span>
                  </a>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </PageShell>
  );
}
