import { randomUUID } from "node:crypto";
import { people, rooms } from "../../drizzle/schema";
import { roomPartners } from "../../drizzle/tables/partners";
import { createBotClient } from "../../bots/shared/homeserver";
import { federationRoomClient } from "../../bots/policy/federation-acl";
import { openDb, runMigrations } from "../../lib/db/client";
import { latestFederationChange, processFederationChanges, type AclSyncDeps } from "../../lib/federation/acl-sync";
import { changePartnerStatus, createPartner } from "../../lib/federation/partners";
import { desiredServerAcl } from "../../lib/federation/server-acl";
import { createLogger } from "../../lib/log";
import { botUserId } from "../../lib/matrix/appservice-registration";
import { enc } from "../../lib/matrix/client-api";
import { sharedPglite } from "../core/databases";
import { runLoad } from "../core/load";
import { round, summariseRatios } from "../core/stats";
import { sharedSynapse } from "../core/synapse";
import type { Benchmark, BenchContext, BenchOptions, MeasuredRow } from "../core/types";

const TARGET = "partner change reaches every managed room: wall time <= 2 × the raw ACL state sends";
/** The bots apply a change this many rooms at a time (processFederationChanges' default). */
const CONCURRENCY = 8;

/**
 * B-partner: an admin suspends or approves a partner; how long until the
 * server ACL of every room opened to it is rewritten (the bots' path:
 * change row → affected rooms → read state → write ACL, audited), against
 * the bare `PUT state/m.room.server_acl` for the same rooms at the same
 * concurrency. Interleaved; the partner alternates between approved and
 * suspended, the raw side between two other ACLs, so every step is a change.
 */
async function run(ctx: BenchContext, opts: BenchOptions): Promise<MeasuredRow[]> {
  const roomCount = opts.smoke ? 5 : 200;
  const pairs = opts.smoke ? 1 : 6;
  const [hs, pglite] = await Promise.all([sharedSynapse(ctx, "shipped"), sharedPglite(ctx)]);
  const handle = openDb(pglite.url, { max: 10 });
  ctx.onCleanup(() => handle.close());
  await runMigrations(handle);
  const db = handle.db;
  const tag = randomUUID().slice(0, 6);
  const [admin] = await db.insert(people).values({ subject: `bp-${tag}`, displayName: "Bench Admin", role: "admin" }).returning();
  const partnerHost = `partner-${tag}.bench.example`;
  const created = await createPartner(db, admin!.id, { name: `Partner ${tag}`, contact: "", servers: partnerHost }, hs.serverName);
  if (!created.ok) throw new Error(`partner not created: ${JSON.stringify(created.fieldErrors)}`);
  const partnerId = created.partner.id;
  await changePartnerStatus(db, admin!.id, partnerId, "approved");

  const conn = { homeserverUrl: hs.url, asToken: hs.appservice.asToken };
  const bot = createBotClient(conn, botUserId({ appservice: hs.appservice, matrix: { serverName: hs.serverName } }));
  ctx.log(`B-partner: creating ${roomCount} managed rooms`);
  const roomIds: string[] = [];
  await runLoad(roomCount, 4, async () => {
    roomIds.push(await bot.createRoom({ preset: "private_chat", room_version: "12", name: "Bench partner room" }));
  });
  const rows = await db
    .insert(rooms)
    .values(
      roomIds.map((matrixRoomId, i) => ({
        matrixRoomId,
        kind: "team" as const,
        name: `Bench ${i}`,
        organiserId: admin!.id,
        access: "invited" as const,
        conferenceId: "bench",
        widgetId: "bench",
        idempotencyKey: `bp-${tag}-${i}`,
        status: "active" as const,
      })),
    )
    .returning();
  await db.insert(roomPartners).values(rows.map((r) => ({ roomId: r.id, partnerId })));
  const deps: AclSyncDeps = {
    db,
    client: federationRoomClient(conn, bot),
    ownServerName: hs.serverName,
    logger: createLogger("bench-partner", "silent"),
  };
  // Bring every room in line first, so each measured step is exactly one ACL change per room.
  await processFederationChanges(deps, 0, { concurrency: CONCURRENCY, batch: 10_000 });

  let approved = true;
  let rawOpen = true;
  const aWall: number[] = [];
  const bWall: number[] = [];
  let writes = 0;
  let errors = 0;
  const throughService = async () => {
    const cursor = await latestFederationChange(db);
    const started = performance.now();
    await changePartnerStatus(db, admin!.id, partnerId, approved ? "suspended" : "approved");
    approved = !approved;
    const result = await processFederationChanges(deps, cursor, { concurrency: CONCURRENCY });
    aWall.push(performance.now() - started);
    writes += result.rooms.filter((r) => r.aclChanged).length;
    if (result.rooms.length !== roomCount) errors++;
  };
  const raw = async () => {
    // Never one of the two ACLs the service writes, so each side's every step is a real change.
    const content = desiredServerAcl(hs.serverName, [rawOpen ? `raw-a-${partnerHost}` : `raw-b-${partnerHost}`]);
    rawOpen = !rawOpen;
    const started = performance.now();
    const load = await runLoad(roomCount, CONCURRENCY, async (i) => {
      const res = await fetch(
        `${hs.url}/_matrix/client/v3/rooms/${enc(roomIds[i]!)}/state/m.room.server_acl/?user_id=${enc(bot.userId)}`,
        { method: "PUT", headers: { Authorization: `Bearer ${hs.appservice.asToken}`, "Content-Type": "application/json" }, body: JSON.stringify(content) },
      );
      await res.arrayBuffer();
      return res.ok ? undefined : { error: `HTTP ${res.status}` };
    });
    bWall.push(performance.now() - started);
    if (load.errorsOther > 0) errors++;
  };
  // Warm-up pair, then interleaved pairs (ABBA…).
  await throughService();
  await raw();
  aWall.length = 0;
  bWall.length = 0;
  writes = 0;
  for (let i = 0; i < pairs; i++) {
    if (i % 2 === 0) {
      await throughService();
      await raw();
    } else {
      await raw();
      await throughService();
    }
  }
  const ratios = aWall.map((a, i) => a / bWall[i]!);
  const { ratio, spread } = summariseRatios(ratios);
  const sortedA = [...aWall].sort((x, y) => x - y);
  const sortedB = [...bWall].sort((x, y) => x - y);
  const mid = (v: number[]) => v[Math.floor((v.length - 1) / 2)]!;
  return [
    {
      name: `Partner change reaching ${roomCount} managed rooms`,
      target: TARGET,
      ratio: round(ratio),
      ratio_spread: spread,
      p50_ms: round(mid(sortedA), 1),
      p95_ms: round(sortedA.at(-1)!, 1),
      baseline_p50_ms: round(mid(sortedB), 1),
      baseline_p95_ms: round(sortedB.at(-1)!, 1),
      n: aWall.length,
      pairs,
      errors_429: 0,
      errors_other: errors,
      // Per room: one state read and one ACL write.
      homeserver_calls_per_op: roomCount * 2,
      ok: errors === 0 && writes === roomCount * pairs && ratio <= 2,
      figures: { rooms: roomCount, concurrency: CONCURRENCY, acl_writes: writes },
      notes: "A = status change + processFederationChanges (bots' path, reads state and audits); B = raw PUT state for the same rooms.",
    },
  ];
}

export const bPartner: Benchmark = {
  id: "B10",
  name: "B-partner: a partner change reaching managed rooms",
  target: TARGET,
  description:
    "An admin suspends or approves a partner organisation; wall time until the server ACL of 200 managed rooms opened to it is rewritten, vs the raw ACL state sends for the same rooms.",
  async run(ctx, opts) {
    return { rows: await run(ctx, opts) };
  },
};
