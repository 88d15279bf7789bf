import crypto from "node:crypto";
import { and, eq, inArray, or } from "drizzle-orm";
import { pendingInvitations, people, rooms, type Person, type Room } from "../../drizzle/schema";
import type { AppConfig } from "../config/load";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { conferenceIdForRoom, randomConferenceName } from "../jitsi/conference-id";
import { MatrixApiError } from "../matrix/client-api";
import type { ServiceClient } from "../matrix/service-client";
import type { Logger } from "../log";
import type { CreateRoomInput } from "./create-room-input";
import { buildCreateRoomBody, widgetAfterCreation, type RoomPlan } from "./room-state";
import type { DirectorySpaceDeps } from "./directory-spaces";
import { resolveJoinRule } from "./open-rooms";
import { assertRoomNameAllowed, withPolicyLevels } from "../policy/room-naming";
import { serviceBotLevels } from "../matrix/bot-users";

export interface CreateRoomDeps {
  db: Db;
  service: ServiceClient;
  /** With `appservice`, the module bots are invited in the creation call (else on their first use). */
  config: Pick<AppConfig, "matrix" | "jitsi"> & { appservice?: Pick<AppConfig["appservice"], "userPrefix"> };
  log: Logger;
  /** Removes a room that could not be completed (admin API purge); see deleteHalfCreatedRoom. */
  discardRoom(roomId: string): Promise<void>;
  /** Needed for rooms open to a department or the city (restricted join rule over a directory space). */
  directorySpaces?: DirectorySpaceDeps;
}

interface ResolvedParticipants {
  matrixUserIds: string[];
  /** Login names / e-mails of people without a Matrix account yet: invited at their first sign-in. */
  pending: string[];
}

async function resolveParticipants(db: Db, organiser: Person, input: CreateRoomInput): Promise<ResolvedParticipants> {
  const byId = input.participantIds.length
    ? await db.select().from(people).where(inArray(people.id, input.participantIds))
    : [];
  const unknown = input.participantIds.filter((id) => !byId.some((p) => p.id === id));
  if (unknown.length > 0) {
    throw new AppError("unknown-participant", "invalid", "Unbekannte Teilnehmende.", {
      participantIds: "Mindestens eine ausgewählte Person ist nicht (mehr) bekannt.",
    });
  }
  const byLogin = input.inviteLogins.length
    ? await db
        .select()
        .from(people)
        .where(or(inArray(people.username, input.inviteLogins), inArray(people.email, input.inviteLogins)))
    : [];
  const found = [...byId, ...byLogin].filter((p) => !p.disabledAt && p.id !== organiser.id);
  const matrixUserIds = [...new Set(found.map((p) => p.matrixUserId).filter((m): m is string => Boolean(m)))];
  const known = new Set(byLogin.flatMap((p) => [p.username, p.email].filter(Boolean) as string[]));
  const pending = [
    ...input.inviteLogins.filter((l) => !known.has(l)),
    ...found.filter((p) => !p.matrixUserId && p.username).map((p) => p.username!.toLowerCase()),
  ];
  return { matrixUserIds, pending: [...new Set(pending)] };
}

/** Waits for a concurrent request with the same idempotency key to finish its homeserver call. */
async function awaitConcurrentCreation(db: Db, rowId: string): Promise<Room> {
  for (let i = 0; i < 100; i++) {
    const row = await db.query.rooms.findFirst({ where: eq(rooms.id, rowId) });
    if (!row || row.status === "failed") break;
    if (row.status === "active") return row;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new AppError("creation-failed", "unavailable", "Der Raum konnte nicht angelegt werden. Bitte versuchen Sie es erneut.");
}

/**
 * Creates a managed room for an organiser: validated input in, one
 * homeserver call (two in `matrix` conference mode) out. A double click or
 * a retried request with the same idempotency key yields the same room; a
 * homeserver failure leaves neither a row nor a half-created room behind.
 */
export async function createManagedRoom(deps: CreateRoomDeps, organiser: Person, input: CreateRoomInput): Promise<Room> {
  const { db, service, config, log } = deps;
  if (!organiser.matrixUserId) {
    throw new AppError("no-matrix-account", "conflict", "Ihr Chat-Konto ist noch nicht verbunden. Bitte melden Sie sich neu an.");
  }
  await assertRoomNameAllowed(db, input.name);
  const participants = await resolveParticipants(db, organiser, input);
  const access = await resolveJoinRule(deps.directorySpaces, organiser, input);
  const widgetId = `jitsi_${crypto.randomBytes(8).toString("hex")}`;
  const conferenceId = config.jitsi.authMode === "matrix" ? "" : randomConferenceName();

  const [claimed] = await db
    .insert(rooms)
    .values({
      kind: input.kind,
      name: input.name,
      topic: input.topic,
      organiserId: organiser.id,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      access: input.access,
      department: input.department,
      partnersAllowed: input.partnersAllowed,
      conferenceId,
      widgetId,
      idempotencyKey: input.idempotencyKey,
    })
    .onConflictDoNothing({ target: [rooms.organiserId, rooms.idempotencyKey] })
    .returning();
  if (!claimed) {
    const existing = await db.query.rooms.findFirst({
      where: and(eq(rooms.organiserId, organiser.id), eq(rooms.idempotencyKey, input.idempotencyKey)),
    });
    if (!existing) throw new AppError("creation-failed", "unavailable", "Der Raum konnte nicht angelegt werden.");
    return existing.status === "active" ? existing : awaitConcurrentCreation(db, existing.id);
  }

  const plan: RoomPlan = {
    kind: input.kind,
    name: input.name,
    topic: input.topic,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    organiserUserId: organiser.matrixUserId,
    inviteUserIds: [organiser.matrixUserId, ...participants.matrixUserIds],
    serverName: config.matrix.serverName,
    jitsi: config.jitsi,
    conferenceId,
    widgetId,
    joinRule: access.joinRule,
    serviceBots: config.appservice ? serviceBotLevels({ ...config, appservice: config.appservice }) : undefined,
  };

  let roomId: string | undefined;
  try {
    roomId = await service.createRoom(await withPolicyLevels(db, buildCreateRoomBody(plan)));
    let finalConferenceId = conferenceId;
    if (config.jitsi.authMode === "matrix") {
      finalConferenceId = conferenceIdForRoom(roomId);
      const widget = widgetAfterCreation({ ...plan, conferenceId: finalConferenceId }, roomId);
      await service.sendState(roomId, widget.type, widget.stateKey, widget.content);
    }
    // The space lists the room, so Element users of the department find it there too.
    if (access.spaceRoomId) await service.sendState(access.spaceRoomId, "m.space.child", roomId, { via: [config.matrix.serverName] });
    const [active] = await db
      .update(rooms)
      .set({
        matrixRoomId: roomId,
        conferenceId: finalConferenceId,
        status: "active",
        invitedUserIds: plan.inviteUserIds,
        updatedAt: new Date(),
      })
      .where(eq(rooms.id, claimed.id))
      .returning();
    if (participants.pending.length > 0) {
      await db
        .insert(pendingInvitations)
        .values(participants.pending.map((invitee) => ({ roomId: claimed.id, invitee, invitedBy: organiser.id })))
        .onConflictDoNothing();
    }
    log.info({ roomId, kind: input.kind, invited: plan.inviteUserIds.length, pending: participants.pending.length }, "room created");
    return active!;
  } catch (err) {
    // Nothing half-made may remain: the row goes, and a room without its widget is purged.
    await db.delete(rooms).where(eq(rooms.id, claimed.id));
    if (roomId) await deps.discardRoom(roomId).catch((e: Error) => log.error({ roomId, err: e.message }, "could not discard room"));
    if (err instanceof MatrixApiError) {
      log.warn({ errcode: err.errcode, status: err.status }, "homeserver refused room creation");
      throw new AppError("homeserver-error", "unavailable", "Der Chat-Server ist gerade nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.", {}, { cause: err });
    }
    if (err instanceof TypeError || (err as Error).name === "TimeoutError") {
      throw new AppError("homeserver-unreachable", "unavailable", "Der Chat-Server ist gerade nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.", {}, { cause: err });
    }
    throw err;
  }
}
