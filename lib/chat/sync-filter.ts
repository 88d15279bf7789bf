/**
 * The /sync filter of the portal's browser client: only what the chat, the
 * member list and the unread counts need. Members are lazy-loaded (senders
 * come with their events), presence and typing are left out, and only the
 * latest messages of each room arrive at first; older ones are paginated.
 */
export const INITIAL_TIMELINE_LIMIT = 20;

/** Left out of the timeline: nothing in the portal shows them. State events always stay in, so the room's state stays current. */
const UNSHOWN_TIMELINE_TYPES = ["m.reaction", "m.sticker", "m.poll.*", "org.matrix.msc3381.poll.*"];

/** State the client needs: names, membership, power levels, encryption, creation (room v12 creators). */
const STATE_TYPES = [
  "m.room.create",
  "m.room.name",
  "m.room.topic",
  "m.room.member",
  "m.room.power_levels",
  "m.room.encryption",
  "m.room.join_rules",
  "m.room.canonical_alias",
];

export function chatSyncFilter(timelineLimit = INITIAL_TIMELINE_LIMIT) {
  return {
    presence: { not_types: ["*"] },
    account_data: { types: ["m.push_rules"] },
    room: {
      state: { types: STATE_TYPES, lazy_load_members: true },
      timeline: { limit: timelineLimit, not_types: UNSHOWN_TIMELINE_TYPES, lazy_load_members: true },
      ephemeral: { types: ["m.receipt"] },
      account_data: { not_types: ["*"] },
    },
  };
}
