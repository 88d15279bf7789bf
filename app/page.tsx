import { currentSession } from "@/lib/auth/current-session";
import { redirect } from "next/navigation";
import { mustAcceptRulesFirst } from "@/lib/policy/staff-consent";
import { AFTER_SIGN_IN } from "@/lib/auth/auth-options";
import { portalRuntime } from "@/lib/portal/runtime";
import { listRoomsFor } from "@/lib/rooms/room-list";
import { formatCityTime } from "@/lib/time/berlin-time";
import { requestMessages } from "@/lib/i18n/request-locale";
import { fill } from "@/lib/i18n/translate";
import { PageShell } from "./_components/page-shell";
import { SignInButton } from "./_components/sign-in-button";
import { UnreadBadges } from "./_components/unread-badges";
import { OpenRooms } from "./_components/open-rooms";
import { matrixCredentials } from "@/lib/auth/matrix-session";
import { keepDirectoryMembershipCurrent } from "@/lib/portal/directory-spaces";

export const dynamic = "force-dynamic";

export default async function HomePage({ searchParams }: { searchParams: Promise<{ q?: string; beitritt?: string }> }) {
  const { config, db } = portalRuntime();
  const signedIn = await currentSession();
  const { tag: localeTag, t } = await requestMessages();

  if (!signedIn) {
    return (
      <PageShell cityName={config.cityName}>
        <section className="flex flex-col gap-4">
          <h1 className="text-3xl font-bold text-brand-900">Stadtfunk</h1>
          <p className="text-lg text-slate-700">{fill(t.home.tagline, { city: config.cityName })}</p>
          <div>
            <SignInButton label={t.home.signIn} busyLabel={t.home.redirecting} callbackUrl={AFTER_SIGN_IN} />
          </div>
          <p className="text-sm text-slate-600">{t.home.signInHint}</p>
        </section>
      </PageShell>
    );
  }

  const { person, session } = signedIn;
  // With the homeserver's consent tracking on, the current usage rules are accepted before anything else.
  if (await mustAcceptRulesFirst(db, config.matrix.homeserverUrl, person.id)) redirect("/zustimmung");
  const { q, beitritt } = await searchParams;
  const search = typeof q === "string" ? q.slice(0, 100) : "";
  // Department and city spaces: only a homeserver call when the recorded membership is out of date.
  const matrix = matrixCredentials(signedIn);
  await keepDirectoryMembershipCurrent(person, matrix && { userId: matrix.userId, accessToken: matrix.accessToken });
  const myRooms = await listRoomsFor(db, person, { search });
  const signOut = (
    <form method="post" action="/abmelden">
      <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100">
        {t.common.signOut}
      </button>
    </form>
  );
  return (
    <PageShell cityName={config.cityName} actions={signOut}>
      <section>
        <h1 className="text-2xl font-bold text-brand-900">{fill(t.home.welcome, { name: person.displayName })}</h1>
        <dl className="mt-4 grid grid-cols-[max-content_minmax(0,1fr)] gap-x-6 gap-y-2 text-slate-800 [&_dd]:[overflow-wrap:anywhere]">
          <dt className="font-medium">{t.home.departments}</dt>
          <dd>{person.departments.length > 0 ? person.departments.join(", ") : "–"}</dd>
          <dt className="font-medium">{t.home.role}</dt>
          <dd>{person.role === "admin" ? t.home.roleAdmin : t.home.roleStaff}</dd>
          <dt className="font-medium">{t.home.matrixAccount}</dt>
          <dd data-testid="matrix-user-id">
            {session.matrixUserId ?? (
              <a className="text-brand-700 underline" href="/matrix/connect">
                {t.home.connectNow}
              </a>
            )}
          </dd>
        </dl>
        {person.role === "admin" && (
          <p className="mt-4">
            <a className="text-brand-700 underline" href="/admin/people">
              {t.home.adminPeople}
            </a>
          </p>
        )}
      </section>

      <section aria-labelledby="rooms-heading" className="flex flex-col gap-4">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="rooms-heading" className="text-xl font-semibold">
            {t.home.myRooms}
          </h2>
          <a href="/rooms/new" className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-900">
            {t.home.newRoom}
          </a>
        </div>
        <form role="search" className="flex gap-2">
          <label htmlFor="q" className="sr-only">
            {t.home.searchLabel}
          </label>
          <input id="q" name="q" defaultValue={search} placeholder={t.home.searchLabel} className="w-full rounded-md border border-slate-400 px-3 py-2" />
          <button type="submit" className="rounded-md border border-slate-400 px-4 py-2">
            {t.home.search}
          </button>
        </form>
        {myRooms.length === 0 ? (
          <p className="text-slate-700">{search ? t.home.noRoomsFound : t.home.noRooms}</p>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid="room-list">
            {myRooms.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 p-4">
                <div>
                  <a href={`/rooms/${encodeURIComponent(r.matrixRoomId!)}`} className="font-medium text-brand-700 underline">
                    {r.name}
                  </a>
                  <span data-unread-slot={r.matrixRoomId ?? undefined} />
                  <p className="text-sm text-slate-600">
                    {t.home.kinds[r.kind]}
                    {r.startsAt ? ` · ${formatCityTime(r.startsAt, localeTag)}` : ""}
                  </p>
                </div>
                {r.startsAt && (
                  <a className="text-sm text-brand-700 underline" href={`/rooms/${encodeURIComponent(r.matrixRoomId!)}/termin.ics`} download>
                    <span aria-hidden="true">📅 </span>
                    {t.home.calendar}
                    <span className="sr-only"> {fill(t.home.calendarFor, { name: r.name })}</span>
                  </a>
                )}
              </li>
            ))}
          </ul>
        )}
        <UnreadBadges roomIds={myRooms.flatMap((r) => (r.matrixRoomId ? [r.matrixRoomId] : []))} />
      </section>
      <OpenRooms person={person} t={t} localeTag={localeTag} refusal={typeof beitritt === "string" ? beitritt.slice(0, 40) : undefined} />
    </PageShell>
  );
}
