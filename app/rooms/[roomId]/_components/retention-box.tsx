import { portalLastActivity } from "@/lib/lifecycle/retention-admin";
import { deletionInfoForRoom } from "@/lib/lifecycle/room-retention-actions";
import { portalRuntime } from "@/lib/portal/runtime";
import { formatCityTime } from "@/lib/time/berlin-time";
import { postponeDeletionAction } from "../retention-actions";

const OUTCOME: Record<string, string> = {
  verschoben: "Die Löschung ist verschoben.",
  "already-postponed": "Die Löschung wurde schon einmal verschoben.",
  "deletion-running": "Der Raum wird gerade gelöscht; das lässt sich nicht mehr aufhalten.",
  "not-room-admin": "Nur die Raumverwaltung kann die Löschung verschieben.",
  herkunft: "Die Anfrage kam nicht von dieser Seite und wurde abgelehnt.",
};

/** For room admins only (the page decides from the homeserver's power levels): the planned deletion and the one postponement. */
export async function RetentionBox({ roomId, outcome, tag }: { roomId: string; outcome?: string; tag: string }) {
  const { db, config } = portalRuntime();
  const info = await deletionInfoForRoom(db, roomId, portalLastActivity(config));
  if (!info) return null;
  return (
    <section aria-label="Aufbewahrung" className="mt-2 rounded-md border border-slate-200 p-3 text-sm">
      {outcome && OUTCOME[outcome] && <p role="status">{OUTCOME[outcome]}</p>}
      {info.kept ? (
        <p>Dieser Raum wird dauerhaft aufbewahrt.</p>
      ) : (
        info.plannedAt && (
          <div className="flex flex-wrap items-center gap-3">
            <p>Geplante Löschung: {formatCityTime(info.plannedAt, tag)}</p>
            {info.canStillPostpone && (
              <form action={postponeDeletionAction}>
                <input type="hidden" name="roomId" value={roomId} />
                <button type="submit" className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100">
                  Einmalig um {info.postponeDays} Tage verschieben
                </button>
              </form>
            )}
          </div>
        )
      )}
    </section>
  );
}
