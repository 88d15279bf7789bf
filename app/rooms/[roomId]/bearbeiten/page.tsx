import type { Metadata } from "next";
import { forbidden, notFound, redirect } from "next/navigation";
import { currentSession } from "@/lib/auth/current-session";
import { isAppError } from "@/lib/errors";
import { declinesOf, participantsOf } from "@/lib/invitations/room-participants";
import { loadMeetingForEdit, openJobsOf, type MeetingEditContext } from "@/lib/invitations/meeting-changes";
import { portalRuntime } from "@/lib/portal/runtime";
import { cityWallClock, formatCityTime } from "@/lib/time/berlin-time";
import { PageShell } from "../../../_components/page-shell";
import { changeMeetingAction } from "./actions";
import { ChangeForm } from "./change-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Raum bearbeiten" };

const inputClass = "mt-1 block w-full rounded-md border border-slate-400 px-3 py-2 aria-[invalid=true]:border-red-700";
const MEMBERSHIP: Record<string, string> = { join: "im Raum", invite: "eingeladen" };

/** Later changes by the organiser and room admins (power level read from the homeserver). */
export default async function EditRoomPage({ params }: { params: Promise<{ roomId: string }> }) {
  const roomId = decodeURIComponent((await params).roomId);
  const signedIn = await currentSession();
  if (!signedIn) redirect("/");
  const { db, service, config } = portalRuntime();
  let ctx: MeetingEditContext;
  try {
    ctx = await loadMeetingForEdit({ db, service }, { person: signedIn.person, matrixUserId: signedIn.matrixUserId }, roomId);
  } catch (err) {
    if (isAppError(err) && err.category === "forbidden") forbidden();
    if (isAppError(err) && err.category === "not-found") notFound();
    throw err;
  }
  const { room } = ctx;
  const participants = await participantsOf(db, ctx.access.state, config);
  const declines = await declinesOf(db, room.id);
  const pending = await openJobsOf(db, room.id);
  const path = `/rooms/${encodeURIComponent(roomId)}`;
  const action = changeMeetingAction.bind(null, roomId);
  const isCancelled = ctx.calendar.cancelledAt !== null;
  const local = (d: Date | null) => (d ? cityWallClock(d).slice(0, 16) : "");

  return (
    <PageShell cityName={config.cityName} path={`${path}/bearbeiten`}>
      <header>
        <p className="text-sm text-slate-600">
          <a href={path} className="underline">
            Zurück zum Raum
          </a>
        </p>
        <h1 className="text-2xl font-bold text-brand-900">Raum bearbeiten: {room.name}</h1>
        <p className="mt-1 text-slate-700">
          Änderungen übernimmt der Stadtfunk-Bot im Chat: Er lädt ein und aus, ändert Name, Beschreibung und Termin und kündigt es im Raum an.
          Teilnehmende mit E-Mail-Adresse erhalten eine Kalendereinladung, wenn der E-Mail-Versand eingerichtet ist.
        </p>
        {pending.length > 0 && (
          <p className="mt-2 text-sm text-slate-700" role="status">
            {pending.length === 1 ? "Eine Änderung wird gerade übertragen." : `${pending.length} Änderungen werden gerade übertragen.`}
          </p>
        )}
        {isCancelled && (
          <p className="mt-2 rounded-md border border-red-300 bg-red-50 p-3 text-red-900" data-testid="meeting-cancelled">
            Diese Besprechung wurde am {formatCityTime(ctx.calendar.cancelledAt!)} abgesagt und kann nicht mehr geändert werden.
          </p>
        )}
      </header>

      {!isCancelled && (
        <>
          <section aria-labelledby="details" className="flex flex-col gap-3">
            <h2 id="details" className="text-xl font-semibold">
              {room.kind === "meeting" ? "Termin und Angaben" : "Angaben"}
            </h2>
            <ChangeForm action={action} kind="details" submitLabel="Änderungen speichern" testId="details-form">
              <label className="block">
                Name
                <input name="name" required maxLength={120} defaultValue={room.name} className={inputClass} />
              </label>
              <label className="block">
                Beschreibung
                <textarea name="topic" maxLength={500} defaultValue={room.topic} className={inputClass} />
              </label>
              {room.kind === "meeting" && (
                <div className="grid gap-3 sm:grid-cols-2">
                  <label className="block">
                    Beginn (deutsche Zeit)
                    <input type="datetime-local" name="startsAt" required defaultValue={local(room.startsAt)} className={inputClass} />
                  </label>
                  <label className="block">
                    Ende (deutsche Zeit)
                    <input type="datetime-local" name="endsAt" required defaultValue={local(room.endsAt)} className={inputClass} />
                  </label>
                </div>
              )}
            </ChangeForm>
          </section>

          <section aria-labelledby="participants" className="flex flex-col gap-3">
            <h2 id="participants" className="text-xl font-semibold">
              Teilnehmende
            </h2>
            {participants.length === 0 ? (
              <p className="text-slate-700">Außer Ihnen ist niemand eingeladen.</p>
            ) : (
              <ChangeForm action={action} kind="remove" submitLabel="Ausgewählte ausladen" danger testId="remove-form">
                <fieldset>
                  <legend className="sr-only">Teilnehmende zum Ausladen auswählen</legend>
                  <ul className="flex flex-col gap-1">
                    {participants.map((p) => (
                      <li key={p.userId}>
                        <label className="flex items-center gap-2">
                          <input type="checkbox" name="userIds" value={p.userId} disabled={p.isOrganiser} />
                          <span className="font-medium">{p.name}</span>
                          <span className="text-sm text-slate-600">
                            {MEMBERSHIP[p.membership] ?? p.membership}
                            {p.isOrganiser ? " · Organisation" : ""}
                          </span>
                        </label>
                      </li>
                    ))}
                  </ul>
                </fieldset>
              </ChangeForm>
            )}
            <ChangeForm action={action} kind="add" submitLabel="Einladen" testId="add-form">
              <label className="block">
                Weitere Personen einladen (Anmeldenamen oder E-Mail-Adressen, durch Komma oder Zeilen getrennt)
                <textarea name="logins" required className={inputClass} />
              </label>
            </ChangeForm>
          </section>

          {room.kind === "meeting" && (
            <section aria-labelledby="cancel" className="flex flex-col gap-3">
              <h2 id="cancel" className="text-xl font-semibold">
                Besprechung absagen
              </h2>
              <p className="text-slate-700">Alle Teilnehmenden werden im Raum und per E-Mail benachrichtigt. Der Raum bleibt zum Nachlesen erhalten.</p>
              <ChangeForm action={action} kind="cancel" submitLabel="Besprechung absagen" danger testId="cancel-form" />
            </section>
          )}
        </>
      )}

      <section aria-labelledby="declines" className="flex flex-col gap-2">
        <h2 id="declines" className="text-xl font-semibold">
          Abgelehnte Einladungen
        </h2>
        {declines.length === 0 ? (
          <p className="text-slate-700">Bisher hat niemand abgelehnt.</p>
        ) : (
          <ul data-testid="declines">
            {declines.map((d) => (
              <li key={d.eventId}>
                {d.name} – {formatCityTime(d.declinedAt)}
              </li>
            ))}
          </ul>
        )}
      </section>
    </PageShell>
  );
}
