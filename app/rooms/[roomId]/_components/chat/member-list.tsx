"use client";

import type { MatrixClient, Room } from "matrix-js-sdk";
import { useEffect, useMemo, useReducer, useState } from "react";
import type { MatrixSdk } from "@/app/_components/matrix-client-provider";
import {
  MEMBER_ROLE_LABELS_DE,
  memberRole,
  serverNameOf,
  sortMembers,
  type MemberEntry,
} from "@/lib/chat/member-roles";
import { roomPowerState, type StateEventLike } from "@/lib/matrix/power-levels";
import { usePartnerLabel } from "../partner-directory";

const TEXTS = {
  summary: (n: number) => `Mitglieder (${n})`,
  loading: "Mitglieder werden geladen …",
  failed: "Die Mitgliederliste konnte nicht geladen werden.",
  invited: "eingeladen",
  you: "(Sie)",
  roleLabels: MEMBER_ROLE_LABELS_DE,
};

const ROLE_STYLES: Record<MemberEntry["role"], string> = {
  organisation: "bg-brand-700 text-white",
  moderation: "bg-brand-50 text-brand-900 border border-brand-600",
  member: "bg-slate-100 text-slate-800",
  guest: "bg-amber-50 text-amber-900 border border-amber-700",
};

function stateEventsOf(room: Room, sdk: MatrixSdk): StateEventLike[] {
  const state = room.getLiveTimeline().getState(sdk.EventTimeline.FORWARDS);
  return ["m.room.create", "m.room.power_levels"].flatMap((type) => {
    const e = state?.getStateEvents(type, "");
    return e ? [{ type, state_key: "", sender: e.getSender(), content: e.getContent() }] : [];
  });
}

/** Who is in the room (and who is invited), with their role from the power levels. Members load when opened. */
export function MemberList({ client, sdk, room, userId }: { client: MatrixClient; sdk: MatrixSdk; room: Room; userId: string }) {
  const [version, refresh] = useReducer((n: number) => n + 1, 0);
  const [open, setOpen] = useState(false);
  const [load, setLoad] = useState<"idle" | "loading" | "done" | "failed">("idle");

  useEffect(() => {
    room.on(sdk.RoomStateEvent.Members, refresh);
    room.on(sdk.RoomStateEvent.Update, refresh);
    room.on(sdk.RoomEvent.Summary, refresh);
    return () => {
      room.off(sdk.RoomStateEvent.Members, refresh);
      room.off(sdk.RoomStateEvent.Update, refresh);
      room.off(sdk.RoomEvent.Summary, refresh);
    };
  }, [room, sdk]);

  useEffect(() => {
    if (!open || load !== "idle") return;
    setLoad("loading");
    room
      .loadMembersIfNeeded()
      .then(() => setLoad("done"))
      .catch(() => setLoad("failed"));
  }, [open, load, room]);

  const label = usePartnerLabel();
  const members = useMemo(() => {
    void version;
    const power = roomPowerState(stateEventsOf(room, sdk));
    const ownServer = serverNameOf(userId);
    const entries = room
      .getMembers()
      .filter((m) => m.membership === "join" || m.membership === "invite")
      .map((m) => ({ userId: m.userId, name: label(m.name, m.userId), membership: m.membership ?? "", role: memberRole(m.userId, power, ownServer) }));
    return sortMembers(entries);
  }, [room, sdk, userId, version, label]);

  const count = room.getJoinedMemberCount() + room.getInvitedMemberCount();
  return (
    <details className="border-b border-slate-200" onToggle={(e) => setOpen(e.currentTarget.open)} data-testid="member-list">
      <summary className="cursor-pointer px-4 py-2 font-medium text-slate-800 hover:bg-slate-50">{TEXTS.summary(count)}</summary>
      {load === "loading" && <p className="px-4 pb-2 text-sm text-slate-600">{TEXTS.loading}</p>}
      {load === "failed" && (
        <p role="alert" className="px-4 pb-2 text-sm text-red-800">
          {TEXTS.failed}
        </p>
      )}
      {/* Focusable, so keyboard users can scroll a long list too. */}
      <ul className="max-h-60 overflow-y-auto px-4 pb-3 focus:outline-2 focus:outline-brand-700" tabIndex={0} aria-label={TEXTS.summary(count)}>
        {members.map((m) => (
          <li key={m.userId} className="flex flex-wrap items-center justify-between gap-2 py-1" data-user-id={m.userId}>
            <span className="min-w-0">
              <span className="font-medium">{m.name}</span> {m.userId === userId && <span className="text-slate-600">{TEXTS.you}</span>}
              <span className="block truncate text-xs text-slate-600">
                {m.userId}
                {m.membership === "invite" && ` · ${TEXTS.invited}`}
              </span>
            </span>
            <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${ROLE_STYLES[m.role]}`} data-testid="member-role">
              {TEXTS.roleLabels[m.role]}
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}
