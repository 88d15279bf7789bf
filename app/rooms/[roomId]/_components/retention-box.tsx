import { fill } from "@/lib/i18n/translate";
import type { Messages } from "@/lib/i18n/messages-de";
import { portalLastActivity } from "@/lib/lifecycle/retention-admin";
import { deletionInfoForRoom } from "@/lib/lifecycle/room-retention-actions";
import { portalRuntime } from "@/lib/portal/runtime";
import { formatCityTime } from "@/lib/time/berlin-time";
import { postponeDeletionAction } from "../retention-actions";

const OUTCOME: Record<string, keyof Messages["retention"]> = {
  verschoben: "postponed",
  "already-postponed": "alreadyPostponed",
  "deletion-running": "deletionRunning",
  "not-room-admin": "notRoomAdmin",
  herkunft: "wrongOrigin",
};

/** For room admins only (the page decides from the homeserver's power levels): the planned deletion and the one postponement. */
export async function RetentionBox({ roomId, outcome, tag, t }: { roomId: string; outcome?: string; tag: string; t: Messages["retention"] }) {
  const { db, config } = portalRuntime();
  const info = await deletionInfoForRoom(db, roomId, portalLastActivity(config));
  if (!info) return null;
  const said = outcome ? OUTCOME[outcome] : undefined;
  return (
    <section aria-label="Aufbewahrung" className="mt-2 rounded-md border border-slate-200 p-3 text-sm">
      {said && <p role="status">{t[said]}</p>}
      {info.kept ? (
        <p>{t.kept}</p>
      ) : (
        info.plannedAt && (
          <div className="flex flex-wrap items-center gap-3">
            <p>{fill(t.planned, { date: formatCityTime(info.plannedAt, tag) })}</p>
            {info.canStillPostpone && (
              <form action={postponeDeletionAction}>
                <input type="hidden" name="roomId" value={roomId} />
                <button type="submit" className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100">
                  {fill(t.postpone, { days: String(info.postponeDays) })}
                </button>
              </form>
            )}
          </div>
        )
      )}
    </section>
  );
}
