import { currentSession } from "@/lib/auth/current-session";
import { matrixCredentials } from "@/lib/auth/matrix-session";

export const dynamic = "force-dynamic";

const noStore = { "Cache-Control": "no-store" };

/** The signed-in browser's Matrix credentials for its live client (same origin only; no CORS). */
export async function GET() {
  const signedIn = await currentSession();
  if (!signedIn) return Response.json({ error: "Nicht angemeldet." }, { status: 401, headers: noStore });
  const creds = matrixCredentials(signedIn);
  if (!creds) return Response.json({ error: "Noch keine Matrix-Sitzung." }, { status: 409, headers: noStore });
  return Response.json(creds, { headers: noStore });
}
