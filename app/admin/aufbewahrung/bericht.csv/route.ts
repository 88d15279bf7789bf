import { currentSession } from "@/lib/auth/current-session";
import { isAppError } from "@/lib/errors";
import { lifecycleOverviewForAdmin, portalLastActivity } from "@/lib/lifecycle/retention-admin";
import { dryRunCsv } from "@/lib/lifecycle/room-plan";
import { portalRuntime } from "@/lib/portal/runtime";

export const dynamic = "force-dynamic";

/** The dry run as CSV for the data-protection officer: what would be deleted, when and why. Admins only. */
export async function GET(): Promise<Response> {
  const signedIn = await currentSession();
  if (!signedIn) return new Response("Bitte melden Sie sich an.", { status: 401 });
  const { db, config } = portalRuntime();
  try {
    const overview = await lifecycleOverviewForAdmin(db, signedIn.person.id, new Date(), portalLastActivity(config));
    const csv = dryRunCsv(overview.upcoming, overview.policy);
    const day = new Date().toISOString().slice(0, 10);
    return new Response(`\uFEFF${csv}`, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="loeschplan-${day}.csv"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (err) {
    if (isAppError(err)) return new Response(err.userMessage, { status: err.status });
    throw err;
  }
}
