import type { BotClient } from "./homeserver";

/**
 * A private chat between a bot and one person, for answers that must not go
 * into a room's history (a guest link's secret). Found again through the
 * bot's `m.direct` account data, as Element records direct chats, so every
 * answer to the same person lands in the same chat; a chat the person has
 * left is replaced by a new one.
 */
export async function directRoomWith(client: BotClient, userId: string): Promise<string> {
  const direct = (await client.getAccountData("m.direct")) ?? {};
  const known = Array.isArray(direct[userId]) ? (direct[userId] as unknown[]).filter((r): r is string => typeof r === "string") : [];
  for (const roomId of [...known].reverse()) {
    if (await stillShared(client, roomId, userId)) return roomId;
  }
  const roomId = await client.createRoom({
    is_direct: true,
    preset: "trusted_private_chat",
    invite: [userId],
    // Only the two of them ever read it, and only from their join on.
    initial_state: [{ type: "m.room.history_visibility", state_key: "", content: { history_visibility: "invited" } }],
  });
  // Re-read before writing: another answer may have recorded a chat meanwhile; keep both.
  const latest = (await client.getAccountData("m.direct")) ?? {};
  const mine = Array.isArray(latest[userId]) ? (latest[userId] as unknown[]).filter((r): r is string => typeof r === "string") : [];
  await client.setAccountData("m.direct", { ...latest, [userId]: [...mine, roomId] });
  return roomId;
}

async function stillShared(client: BotClient, roomId: string, userId: string): Promise<boolean> {
  try {
    const state = await client.getState(roomId);
    const membership = (who: string) => state.find((e) => e.type === "m.room.member" && e.state_key === who)?.content.membership;
    const theirs = membership(userId);
    return membership(client.userId) === "join" && (theirs === "join" || theirs === "invite");
  } catch {
    // The bot left or the room is gone: a new chat it is.
    return false;
  }
}
