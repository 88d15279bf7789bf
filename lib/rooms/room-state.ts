import type { JitsiAuthMode } from "../jitsi/conference-id";
import { buildJitsiWidget, buildWidgetLayout } from "../jitsi/widget";
import { INVITE_ONLY, type JoinRuleContent } from "./join-rule";

/** Our own state event with the meeting's details, readable by bots and other clients. */
export const MEETING_EVENT_TYPE = "de.stadtfunk.meeting";
export const ROOM_VERSION = "12";

export type RoomKind = "meeting" | "team" | "direct";

export interface RoomPlan {
  kind: RoomKind;
  name: string;
  topic: string;
  startsAt: Date | null;
  endsAt: Date | null;
  organiserUserId: string;
  /** Everyone invited in the creation call (the organiser included). */
  inviteUserIds: string[];
  serverName: string;
  jitsi: { domain: string; authMode: JitsiAuthMode };
  conferenceId: string;
  widgetId: string;
  /** Invite-only unless the room is open to a department's or the city's directory space. */
  joinRule?: JoinRuleContent;
  /** The service's module bots (user id → power level): invited in the creation call with their power. */
  serviceBots?: Record<string, number>;
}

/**
 * Power levels of a managed room: the organiser at 100, moderators at 50; the
 * service's main bot is the creator, its module bots get explicit levels.
 */
export function powerLevels(organiserUserId: string, serviceBots: Record<string, number> = {}) {
  return {
    users: { ...serviceBots, [organiserUserId]: 100 },
    users_default: 0,
    events_default: 0,
    state_default: 50,
    invite: 50,
    kick: 50,
    ban: 50,
    redact: 50,
    events: {
      "m.room.name": 50,
      "m.room.topic": 50,
      "m.room.avatar": 50,
      "m.room.canonical_alias": 50,
      "m.room.power_levels": 100,
      "m.room.join_rules": 100,
      "m.room.history_visibility": 100,
      "m.room.server_acl": 100,
      "m.room.encryption": 100,
      "m.room.tombstone": 100,
      "m.room.retention": 100,
      "im.vector.modular.widgets": 50,
      "io.element.widgets.layout": 50,
      [MEETING_EVENT_TYPE]: 50,
    },
    notifications: { room: 50 },
  };
}

/** Only our own server until partners are allowed (federation issue); never IP literals. */
export function serverAcl(allowedServers: string[]) {
  return { allow: allowedServers, deny: [], allow_ip_literals: false };
}

/**
 * The whole `createRoom` body: one homeserver call creates the room with its
 * complete initial state and invites everyone. Only in `matrix` mode, where
 * the conference id is derived from the room id, the widget follows in a
 * second call (see widgetAfterCreation).
 */
export function buildCreateRoomBody(plan: RoomPlan): Record<string, unknown> {
  const initialState: { type: string; state_key: string; content: unknown }[] = [
    { type: "m.room.join_rules", state_key: "", content: plan.joinRule ?? INVITE_ONLY },
    { type: "m.room.history_visibility", state_key: "", content: { history_visibility: "shared" } },
    { type: "m.room.guest_access", state_key: "", content: { guest_access: "forbidden" } },
    { type: "m.room.server_acl", state_key: "", content: serverAcl([plan.serverName]) },
    {
      type: MEETING_EVENT_TYPE,
      state_key: "",
      content: {
        kind: plan.kind,
        organiser: plan.organiserUserId,
        starts_at: plan.startsAt?.toISOString() ?? null,
        ends_at: plan.endsAt?.toISOString() ?? null,
        time_zone: "Europe/Berlin",
      },
    },
  ];
  // Element lists a room open to a space under that space (the space's side is linked after creation).
  if (plan.joinRule?.join_rule === "restricted") {
    for (const a of plan.joinRule.allow) {
      initialState.push({ type: "m.space.parent", state_key: a.room_id, content: { via: [plan.serverName], canonical: true } });
    }
  }
  const layout = buildWidgetLayout(plan.widgetId);
  initialState.push({ type: layout.type, state_key: layout.stateKey, content: layout.content });
  if (plan.jitsi.authMode !== "matrix") {
    const w = widgetEvent(plan, undefined);
    initialState.push({ type: w.type, state_key: w.stateKey, content: w.content });
  }
  return {
    preset: "private_chat",
    room_version: ROOM_VERSION,
    visibility: "private",
    name: plan.name,
    topic: plan.topic,
    is_direct: plan.kind === "direct",
    invite: [...plan.inviteUserIds, ...Object.keys(plan.serviceBots ?? {})],
    power_level_content_override: powerLevels(plan.organiserUserId, plan.serviceBots),
    initial_state: initialState,
  };
}

function widgetEvent(plan: RoomPlan, roomId: string | undefined) {
  return buildJitsiWidget({
    roomId,
    conferenceId: plan.conferenceId,
    roomName: plan.name,
    domain: plan.jitsi.domain,
    authMode: plan.jitsi.authMode,
    creatorUserId: plan.organiserUserId,
    widgetId: plan.widgetId,
  });
}

/** The widget for `matrix` mode, whose conference id needs the room id. */
export function widgetAfterCreation(plan: RoomPlan, roomId: string) {
  return widgetEvent(plan, roomId);
}
