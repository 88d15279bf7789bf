import { forbidden, notFound, redirect } from "next/navigation";
import { currentSession } from "@/lib/auth/current-session";
import { isAppError } from "@/lib/errors";
import { partnerDirectory, partnerOrganisationOf } from "@/lib/federation/partner-labels";
import { listPartners } from "@/lib/federation/partners";
import { FEDERATION_PRIVACY_DE } from "@/lib/federation/privacy-text";
import { requireRoomAdmin, roomPartnerIds } from "@/lib/federation/room-partners";
import { portalRuntime } from "@/lib/portal/runtime";
import { requireRoomMember } from "@/lib/rooms/room-access";
import { findRoomByMatrixId } from "@/lib/rooms/room-list";
import { PageShell } from "../../../_components/page-shell";
import { invitePartnerUserAction, saveRoomPartnersAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "Partnerorganisationen im Raum" };

type Search = { gespeichert?: string; eingeladen?: string; fehler?: string; id?: string };

const ERRORS: Record<string, string> = {
  herkunft: "Die Anfrage kam nicht von dieser Seite und wurde abgelehnt.",
  eingabe: "Die Auswahl war ungültig.",
  "not-room-admin": "Nur die Raumverwaltung kann den Raum für Partner öffnen.",
  "partner-not-approved": "Räume können nur für freigegebene Partner geöffnet werden.",
  "invitee-malformed": "Bitte eine Matrix-ID wie @name:server.example angeben.",
  "invitee-not-partner": "Dieser Server gehört zu keinem Partner, für den der Raum geöffnet ist.",
  "invitee-unknown": "Diese Person ist auf dem Server des Partners nicht bekannt.",
  "not-moderator": "Nur Moderierende dieses Raums können Partner einladen.",
};
const INVITE_ERRORS = new Set(["invitee-malformed", "invitee-not-partner", "invitee-unknown"]);

export default async function RoomPartnerPage({ params, searchParams }: { params: Promise<{ roomId: string }>; searchParams: Promise<Search> }) {
  const roomId = decodeURIComponent((await params).roomId);
  const search = await searchParams;
  const signedIn = await currentSession();
  if (!signedIn) redirect("/");
  const { db, service, config } = portalRuntime();
  const room = await findRoomByMatrixId(db, roomId);
  if (!room) notFound();
  let access;
  try {
    access = await requireRoomMember(service, roomId, signedIn.matrixUserId);
  } catch (err) {
    if (isAppError(err) && err.category === "forbidden") forbidden();
    if (isAppError(err) && err.category === "not-found") notFound();
    throw err;
  }
  const isRoomAdmin = await requireRoomAdmin({ getState: async () => access.state }, roomId, signedIn.matrixUserId).then(
    () => true,
    () => false,
  );
  const [partners, openedIds] = await Promise.all([listPartners(db), roomPartnerIds(db, room.id)]);
  const approved = partners.filter((p) => p.status === "approved");
  const opened = approved.filter((p) => openedIds.includes(p.id));
  const directory = partnerDirectory(partners);
  const members = access.state
    .filter((e) => e.type === "m.room.member" && (e.content.membership === "join" || e.content.membership === "invite"))
    .map((e) => ({
      userId: e.state_key,
      name: typeof e.content.displayname === "string" && e.content.displayname ? e.content.displayname : e.state_key,
      invited: e.content.membership === "invite",
      organisation: partnerOrganisationOf(e.state_key, directory, config.matrix.serverName),
    }));
  const inviteError = search.fehler && INVITE_ERRORS.has(search.fehler) ? ERRORS[search.fehler] : undefined;
  const pageError = search.fehler && !INVITE_ERRORS.has(search.fehler) ? (ERRORS[search.fehler] ?? "Das hat nicht geklappt.") : undefined;

  return (
    <PageShell cityName={config.cityName} path={`/rooms/${encodeURIComponent(roomId)}/partner`}>
      <p className="text-sm text-slate-600">
        <a href={`/rooms/${encodeURIComponent(roomId)}`} className="underline">Zurück zum Raum</a>
      </p>
      <h1 className="text-2xl font-bold text-brand-900">Partnerorganisationen in „{room.name}“</h1>
      {pageError ? <p role="alert" className="rounded-md bg-red-50 p-3 text-red-900">{pageError}</p> : null}
      {search.gespeichert ? <p role="status" className="rounded-md bg-green-50 p-3 text-green-900">Gespeichert. Die Zugriffsregeln des Raums werden angepasst.</p> : null}
      {search.eingeladen ? <p role="status" className="rounded-md bg-green-50 p-3 text-green-900">{search.eingeladen} ist eingeladen.</p> : null}
      <p className="text-slate-800">
        {opened.length === 0
          ? "Dieser Raum ist nur für die Stadtverwaltung (keine Partner)."
          : `Geöffnet für: ${opened.map((p) => p.name).join(", ")}.`}{" "}
      </p>
      <p className="text-sm text-slate-700">{FEDERATION_PRIVACY_DE}</p>

      {isRoomAdmin ? (
        <form action={saveRoomPartnersAction} className="rounded-md border border-slate-200 p-4">
          <input type="hidden" name="roomId" value={roomId} />
          <fieldset>
            <legend className="font-medium">Für freigegebene Partner öffnen</legend>
            {approved.length === 0 ? <p className="text-slate-700">Es gibt noch keine freigegebenen Partner.</p> : null}
            {approved.map((p) => (
              <label key={p.id} className="mt-2 flex items-center gap-2">
                <input type="checkbox" name="partnerIds" value={p.id} defaultChecked={openedIds.includes(p.id)} />
                {p.name} <span className="text-sm text-slate-600">({p.serverNames.join(", ")})</span>
              </label>
            ))}
          </fieldset>
          <button type="submit" className="mt-3 rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-900">Speichern</button>
        </form>
      ) : null}

      {access.isModerator && opened.length > 0 ? (
        <form action={invitePartnerUserAction} className="rounded-md border border-slate-200 p-4" noValidate>
          <input type="hidden" name="roomId" value={roomId} />
          <label htmlFor="partner-user" className="font-medium">Person eines Partners einladen (Matrix-ID)</label>
          <input
            id="partner-user"
            name="userId"
            defaultValue={search.id ?? ""}
            placeholder="@name:matrix.stadtwerke.example"
            className="mt-1 block w-full rounded-md border border-slate-400 px-3 py-2 aria-[invalid=true]:border-red-700"
            {...(inviteError ? { "aria-invalid": true, "aria-describedby": "partner-user-error" } : {})}
          />
          {inviteError ? <p id="partner-user-error" className="mt-1 text-sm text-red-800">{inviteError}</p> : null}
          <button type="submit" className="mt-3 rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-900">Einladen</button>
        </form>
      ) : null}

      <section aria-labelledby="members">
        <h2 id="members" className="text-xl font-semibold">Mitglieder</h2>
        <ul className="mt-2" data-testid="member-list">
          {members.map((m) => (
            <li key={m.userId}>
              {m.name}
              {m.organisation ? <span className="ml-1 rounded bg-amber-100 px-1 text-sm text-amber-950">{m.organisation}</span> : null}
              {m.invited ? <span className="ml-1 text-sm text-slate-600">(eingeladen)</span> : null}
            </li>
          ))}
        </ul>
      </section>
    </PageShell>
  );
}
