import type { NextRequest } from "next/server";
import { currentSession } from "@/lib/auth/current-session";
import { directoryQuerySchema, searchDirectory } from "@/lib/people/directory";
import { portalRuntime } from "@/lib/portal/runtime";

export const dynamic = "force-dynamic";

const noStore = { "Cache-Control": "no-store" };

/** GET /api/people?q=&department=&page=&pageSize= — the staff directory, for signed-in staff only. */
export async function GET(req: NextRequest) {
  const signedIn = await currentSession();
  if (!signedIn) return Response.json({ error: "Nicht angemeldet." }, { status: 401, headers: noStore });
  const params = req.nextUrl.searchParams;
  const query = directoryQuerySchema.safeParse({
    q: params.get("q") ?? undefined,
    department: params.get("department") ?? undefined,
    page: params.get("page") ?? undefined,
    pageSize: params.get("pageSize") ?? undefined,
  });
  if (!query.success) {
    return Response.json(
      { error: "Ungültige Suche.", issues: query.error.issues.map((i) => ({ field: i.path.join("."), message: i.message })) },
      { status: 400, headers: noStore },
    );
  }
  return Response.json(await searchDirectory(portalRuntime().db, query.data), { headers: noStore });
}
