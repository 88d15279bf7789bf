import type { Person } from "@/drizzle/schema";
import type { Messages } from "@/lib/i18n/messages-de";
import { fill } from "@/lib/i18n/translate";
import { portalRuntime } from "@/lib/portal/runtime";
import { listOpenRoomsFor } from "@/lib/rooms/open-rooms";
import { formatCityTime } from "@/lib/time/berlin-time";
import { joinOpenRoomAction } from "../rooms/join/actions";

/** "Offene Räume meiner Abteilung": rooms open to the person's departments or the city, not joined yet. */
export async function OpenRooms({ person, t, localeTag, refusal }: { person: Person; t: Messages; localeTag: string; refusal?: string }) {
  const open = await listOpenRoomsFor(portalRuntime().db, person);
  const m = t.openRooms;
  const reasons = m.reasons as Record<string, string>;
  if (open.length === 0 && !refusal) return null;
  return (
    <section aria-labelledby="open-rooms-heading" className="flex flex-col gap-3">
      <h2 id="open-rooms-heading" className="text-xl font-semibold">
        {m.title}
      </h2>
      {refusal && (
        <p role="alert" data-testid="join-refused" className="rounded-md border border-red-300 bg-red-50 p-3 text-red-900">
          {fill(m.refused, { reason: reasons[refusal] ?? m.reasons.other })}
        </p>
      )}
      {open.length > 0 && <p className="text-slate-700">{m.intro}</p>}
      {open.length > 0 && (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid="open-room-list">
          {open.map((r) => (
            <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 p-4">
              <div>
                <span className="font-medium">{r.name}</span>
                <p className="text-sm text-slate-600">
                  {t.home.kinds[r.kind]} · {r.access === "city" ? m.forCity : fill(m.forDepartment, { department: r.department ?? "" })}
                  {r.startsAt ? ` · ${formatCityTime(r.startsAt, localeTag)}` : ""}
                </p>
              </div>
              <form action={joinOpenRoomAction}>
                <input type="hidden" name="roomId" value={r.matrixRoomId ?? ""} />
                <button
                  type="submit"
                  aria-label={fill(m.joinRoom, { name: r.name })}
                  className="rounded-md border border-brand-700 px-4 py-1.5 font-semibold text-brand-700 hover:bg-brand-50"
                >
                  {m.join}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
