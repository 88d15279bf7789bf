import { sql } from "drizzle-orm";
import type { Db } from "../db/client";

/** Every department of an active person, as the SSO groups name them (admins may open rooms to any). */
export async function listKnownDepartments(db: Db): Promise<string[]> {
  const r = await db.execute<{ department: string }>(
    sql`select distinct jsonb_array_elements_text(departments) as department from people where disabled_at is null order by 1`,
  );
  return r.rows.map((row) => row.department);
}
