import { portalHealth } from "@/lib/portal/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const report = await portalHealth();
  return Response.json(report, {
    status: report.status === "ok" ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
