import type { Metadata } from "next";
import { forbidden, notFound, redirect } from "next/navigation";
import { currentSession } from "@/lib/auth/current-session";
import { isAppError } from "@/lib/errors";
import { listGuestLinks, type GuestLinkListing } from "@/lib/guests/guest-links";
import { LINK_STATUS_LABEL } from "@/lib/guests/link-policy";
import { currentPolicy } from "@/lib/policy/policy-store";
import { guestDisplayName } from "@/lib/guests/guest-names";
import { portalGuests } from "@/lib/guests/portal-guests";
import { findRoomByMatrixId } from "@/lib/rooms/room-list";
import { formatCityTime } from "@/lib/time/berlin-time";
import { PageShell } from "../../../_components/page-shell";
import { createGuestLinkAction, decideGuestAction, revokeGuestLinkAction } from "./actions";
import { GuestLinkForm } from "./guest-link-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Gäste einladen" };

const GUEST_STATUS: Record<string, string> = {
  waiting: "wartet auf Einlass",
  admitted: "im Raum",
  rejected: "abgelehnt",
  expired: "beendet",
};

function guestState(g: GuestLinkListing["guests"][number]): string {
  if (g.status === "admitted" && !g.joinedAt) return "wird eingerichtet";
  return GUEST_STATUS[g.status] ?? g.status;
}

/** Guest links of one room: only its moderators (power level read from the homeserver) get here. */
export default async function GuestLinksPage({ params }: { params: Promise<{ roomId: string }> }) {
  const roomId = decodeURIComponent((await params).roomId);
  const signedIn = await currentSession();
  if (!signedIn) redirect("/");
  const { deps } = portalGuests();
  const room = await findRoomByMatrixId(deps.db, roomId);
  if (!room) notFound();

  let links: GuestLinkListing[];
  try {
    links = await listGuestLinks(deps, { person: signedIn.person, matrixUserId: signedIn.matrixUserId }, roomId);
  } catch (err) {
    if (isAppError(err) && err.category === "forbidden") forbidden();
    if (isAppError(err) && err.category === "not-found") notFound();
    throw err;
  }
  const path = `/rooms/${encodeURIComponent(roomId)}`;
  // The guest limits of the usage policy in force (/admin/richtlinie).
  const { guests: limits } = (await currentPolicy(deps.db)).policy;
  const expiryHint = room.endsAt
    ? `Leer lassen: bis ${limits.meetingGraceHours} Stunden nach Ende der Besprechung (${formatCityTime(room.endsAt)}).`
    : `Leer lassen: ${limits.defaultLinkDays} Tage.`;
  const revoke = revokeGuestLinkAction.bind(null, roomId);
  const decide = decideGuestAction.bind(null, roomId);

  return (
    <PageShell cityName={deps.config.cityName} path={`${path}/gaeste`}>
      <header>
        <p className="text-sm text-slate-600">
          <a href={path} className="underline">
            Zurück zum Raum
          </a>
        </p>
        <h1 className="text-2xl font-bold text-brand-900">Gäste einladen: {room.name}</h1>
        <p className="mt-1 text-slate-700">
          Externe Gäste treten ohne Konto über einen persönlichen Link bei. Sie sehen nur diesen Raum, sind nie Moderator und werden beim Ablauf des Links entfernt.
        </p>
      </header>

      <section aria-labelledby="new-link" className="flex flex-col gap-3">
        <h2 id="new-link" className="text-xl font-semibold">
          Neuer Gastlink
        </h2>
        <GuestLinkForm action={createGuestLinkAction.bind(null, roomId)} defaultExpiryHint={expiryHint} />
      </section>

      <section aria-labelledby="links" className="flex flex-col gap-3">
        <h2 id="links" className="text-xl font-semibold">
          Gastlinks
        </h2>
        {links.length === 0 ? (
          <p className="text-slate-700">Noch keine Gastlinks.</p>
        ) : (
          <ul className="flex flex-col gap-3" data-testid="guest-links">
            {links.map(({ link, status, guests }) => (
              <li key={link.id} className="rounded-lg border border-slate-200 bg-white p-4" data-link-status={status}>
                <div className="flex flex-wrap items-start justify-between gap-3">
                  <div>
                    <p className="font-medium">{link.label || "Ohne Bezeichnung"}</p>
                    <p className="text-sm text-slate-700">
                      {LINK_STATUS_LABEL[status]} · {link.uses} von {link.maxUses} genutzt · gültig bis {formatCityTime(link.expiresAt)}
                      {link.requiresAdmission ? " · mit Warteraum" : ""}
                    </p>
                  </div>
                  {!link.revokedAt && (
                    <form action={revoke}>
                      <input type="hidden" name="linkId" value={link.id} />
                      <button type="submit" className="rounded-md border border-red-700 px-3 py-1.5 text-sm text-red-800 hover:bg-red-50">
                        Widerrufen und Gäste entfernen
                      </button>
                    </form>
                  )}
                </div>
                {guests.length > 0 && (
                  <ul className="mt-3 flex flex-col gap-2 border-t border-slate-100 pt-3">
                    {guests.map((g) => (
                      <li key={g.id} className="flex flex-wrap items-center gap-3 text-sm">
                        <span className="font-medium">{guestDisplayName(g.displayName)}</span>
                        <span className="text-slate-600">{guestState(g)}</span>
                        {g.status === "waiting" && (
                          <form action={decide} className="flex gap-2">
                            <input type="hidden" name="guestId" value={g.id} />
                            <button type="submit" name="decision" value="admit" className="rounded-md bg-brand-700 px-3 py-1 text-white hover:bg-brand-900">
                              Einlassen
                            </button>
                            <button type="submit" name="decision" value="reject" className="rounded-md border border-slate-400 px-3 py-1 hover:bg-slate-100">
                              Ablehnen
                            </button>
                          </form>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </PageShell>
  );
}
