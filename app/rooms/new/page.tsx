import { and, asc, isNull, ne } from "drizzle-orm";
import { redirect } from "next/navigation";
import { people } from "@/drizzle/schema";
import { currentSession } from "@/lib/auth/current-session";
import { portalRuntime } from "@/lib/portal/runtime";
import { listKnownDepartments } from "@/lib/people/departments";
import { listPartners } from "@/lib/federation/partners";
import { PageShell } from "../../_components/page-shell";
import { CreateRoomForm } from "./create-room-form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Neuer Raum" };

export default async function NewRoomPage() {
  const signedIn = await currentSession();
  if (!signedIn) redirect("/");
  const { db, config } = portalRuntime();
  const directory = await db
    .select({ id: people.id, name: people.displayName, departments: people.departments })
    .from(people)
    .where(and(ne(people.id, signedIn.person.id), isNull(people.disabledAt)))
    .orderBy(asc(people.displayName))
    .limit(500);
  return (
    <PageShell cityName={config.cityName}>
      <h1 className="text-2xl font-bold text-brand-900">Neuer Raum</h1>
      <CreateRoomForm
        idempotencyKey={crypto.randomUUID()}
        partners={(await listPartners(db)).filter((p) => p.status === "approved").map((p) => ({ id: p.id, name: p.name }))}
        departments={signedIn.person.role === "admin" ? await listKnownDepartments(db) : signedIn.person.departments}
        people={directory.map((p) => ({ id: p.id, label: p.departments.length ? `${p.name} (${p.departments.join(", ")})` : p.name }))}
      />
    </PageShell>
  );
}
