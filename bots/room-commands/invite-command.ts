import type { Logger } from "../../lib/log";
import { checkInviteTarget, type InviteRules } from "../../lib/policy/invitations";
import type { RoomAccess } from "../../lib/rooms/room-access";
import type { CommandContext } from "../shared/command-listener";
import type { BotClient } from "../shared/homeserver";
import { helpText, inviteText, type InviteOutcome, type Lang, type NoticeText } from "./command-texts";

export interface InviteCommandDeps {
  client: Pick<BotClient, "invite" | "userExists">;
  rules: InviteRules;
  logger: Logger;
}

/** Element writes pills as matrix.to links, with the user id plain or percent-encoded. */
const MATRIX_TO_USER = /https:\/\/matrix\.to\/#\/((?:@|%40)[^"'<>?\s/]+)/g;

/**
 * The person to invite: the one argument, or, when the client turned a
 * mention into a pill (the body then holds the display name), the one user
 * linked in the formatted body.
 */
export function inviteArgument(ctx: CommandContext): string | undefined {
  if (ctx.command.args.length === 1) return ctx.command.args[0];
  const html = ctx.event.content.formatted_body;
  if (typeof html !== "string") return undefined;
  const linked = new Set<string>();
  for (const match of html.matchAll(MATRIX_TO_USER)) {
    try {
      linked.add(decodeURIComponent(match[1]!));
    } catch {
      return undefined;
    }
  }
  return linked.size === 1 ? [...linked][0] : undefined;
}

function membershipOf(access: RoomAccess, userId: string): unknown {
  return access.state.find((e) => e.type === "m.room.member" && e.state_key === userId)?.content.membership;
}

/** `!einladen @name:server`: the bot invites, after checking the target; returns what to answer. */
export async function runInviteCommand(
  ctx: CommandContext,
  access: RoomAccess,
  lang: Lang,
  deps: InviteCommandDeps,
): Promise<NoticeText> {
  const raw = inviteArgument(ctx);
  const target = raw === undefined ? ({ ok: false, reason: "malformed" } as const) : checkInviteTarget(raw, deps.rules);
  if (!target.ok && target.reason === "malformed") return helpText(lang, deps.rules.serverName);

  let outcome: InviteOutcome;
  if (!target.ok) {
    outcome =
      target.reason === "server-not-approved"
        ? { kind: "server-not-approved", userId: target.userId, serverName: deps.rules.serverName }
        : { kind: "service-account", userId: target.userId };
  } else {
    outcome = await invite(ctx, access, target.userId, deps);
  }
  return inviteText(lang, outcome);
}

async function invite(ctx: CommandContext, access: RoomAccess, userId: string, deps: InviteCommandDeps): Promise<InviteOutcome> {
  const membership = membershipOf(access, userId);
  if (membership === "join") return { kind: "already-member", userId };
  if (membership === "invite") return { kind: "already-invited", userId };
  if (membership === "ban") return { kind: "banned", userId };
  const fields = { roomId: ctx.roomId, eventId: ctx.event.event_id, inviter: ctx.event.sender, invitee: userId };
  try {
    if (!(await deps.client.userExists(userId))) return { kind: "unknown-user", userId };
    await deps.client.invite(ctx.roomId, userId);
  } catch (err) {
    deps.logger.error({ ...fields, err, errorId: ctx.event.event_id }, "invite by command failed");
    return { kind: "failed", errorId: ctx.event.event_id };
  }
  deps.logger.info(fields, "member invited by command");
  return { kind: "invited", userId };
}
