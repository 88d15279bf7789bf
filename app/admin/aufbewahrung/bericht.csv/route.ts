import { currentSession } from "@/lib/auth/current-session";
import { isAppError } from "@/lib/errors";
import { lifecycleOverviewForAdmin, portalLastActivity } from "@/lib/lifecycle/retention-admin";
import { dryRunCsv } from "@/lib/lifecycle/room-plan";
import { portalRuntime } from "@/lib/portal/runtime";

export const dynamic = "force-dynamic";

const noStore = { "Cache-Control": "no-store" };
const json = (status: number, error: string) => Response.json({ error }, { status, headers: noStore });

/** The dry run as CSV for the data-protection officer: what would be deleted, when and why. Admins only. */
export async function GET(): Promise<Response> {
  const signedIn = await currentSession();
  if (!signedIn) return json(401, "Bitte melden Sie sich an.");
  const { db, config } = portalRuntime();
  try {
    const overview = await lifecycleOverviewForAdmin(db, signedIn.person.id, new Date(), portalLastActivity(config));
    const csv = dryRunCsv(overview.upcoming, overview.policy);
    const day = new Date().toISOString().slice(0, 10);
    return new Response(`\uFEFF${csv}`, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="loeschplan-${day}.csv"`,
        "X-Content-Type-Options": "nosniff",
        ...noStore,
      },
    });
  } catch (err) {
    if (isAppError(err)) return json(err.status, err.userMessage);
    throw err;
  }
}
