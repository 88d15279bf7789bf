import type { NextRequest } from "next/server";
import { auditCsvForAdmin } from "@/lib/audit/audit-access";
import { auditCsvFileName } from "@/lib/audit/audit-export";
import { auditFilterSchema } from "@/lib/audit/audit-query";
import { currentSession } from "@/lib/auth/current-session";
import { isAppError } from "@/lib/errors";
import { portalRuntime } from "@/lib/portal/runtime";

export const dynamic = "force-dynamic";

const noStore = { "Cache-Control": "no-store" };

/** GET /admin/protokoll/export?aktion=&betroffen=&handelnd=&von=&bis= — the filtered audit log as CSV, admins only. */
export async function GET(req: NextRequest) {
  const signedIn = await currentSession();
  if (!signedIn) return Response.json({ error: "Bitte melden Sie sich an." }, { status: 401, headers: noStore });
  const p = req.nextUrl.searchParams;
  const filter = auditFilterSchema.safeParse({
    action: p.get("aktion") ?? undefined,
    subject: p.get("betroffen") ?? undefined,
    actor: p.get("handelnd") ?? undefined,
    from: p.get("von") ?? undefined,
    to: p.get("bis") ?? undefined,
  });
  if (!filter.success) {
    return Response.json(
      { error: "Ungültiger Filter.", issues: filter.error.issues.map((i) => ({ field: i.path.join("."), message: i.message })) },
      { status: 400, headers: noStore },
    );
  }
  try {
    const csv = await auditCsvForAdmin(portalRuntime().db, signedIn.person.id, filter.data);
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${auditCsvFileName(filter.data, new Date())}"`,
        "X-Content-Type-Options": "nosniff",
        ...noStore,
      },
    });
  } catch (err) {
    if (isAppError(err)) return Response.json({ error: err.userMessage }, { status: err.status, headers: noStore });
    throw err;
  }
}
