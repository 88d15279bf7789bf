import { z } from "zod";
import { currentSession } from "@/lib/auth/current-session";
import { isAppError } from "@/lib/errors";
import { portalRuntime } from "@/lib/portal/runtime";
import { exportFileName, exportPersonForAdmin } from "@/lib/privacy/subject-requests";

export const dynamic = "force-dynamic";

const noStore = { "Cache-Control": "no-store" };
const json = (status: number, error: string) => Response.json({ error }, { status, headers: noStore });

/** GET /admin/people/<id>/auskunft — everything held about one person as a JSON download (GDPR Art. 15), admins only. */
export async function GET(_req: Request, { params }: { params: Promise<{ personId: string }> }) {
  const signedIn = await currentSession();
  if (!signedIn) return json(401, "Bitte melden Sie sich an.");
  const personId = z.uuid().safeParse((await params).personId);
  if (!personId.success) return json(400, "Ungültige Personenkennung.");
  try {
    const data = await exportPersonForAdmin(signedIn.person.id, personId.data);
    return new Response(JSON.stringify(data, null, 2), {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="${exportFileName(personId.data, new Date())}"`,
        "X-Content-Type-Options": "nosniff",
        ...noStore,
      },
    });
  } catch (err) {
    if (isAppError(err)) {
      if (err.status >= 500) portalRuntime().log.warn({ code: err.code }, "data-subject export failed");
      return json(err.status, err.userMessage);
    }
    throw err;
  }
}
