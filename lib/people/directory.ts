import { and, asc, count, isNull, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { people } from "../../drizzle/schema";
import type { Db } from "../db/client";

/**
 * The staff directory: people who have signed in at least once (provisioned
 * from the identity provider), searchable by name, login name and
 * department. Disabled people are never listed. Later issues pick meeting
 * participants from it.
 */

const optionalText = z
  .string()
  .trim()
  .max(100)
  .optional()
  .transform((v) => (v ? v : undefined));

export const directoryQuerySchema = z.object({
  q: optionalText,
  department: optionalText,
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(50).default(20),
});
export type DirectoryQuery = z.input<typeof directoryQuerySchema>;

export interface DirectoryEntry {
  id: string;
  displayName: string;
  username: string | null;
  departments: string[];
  /** Null until the person's first Matrix sign-in. */
  matrixUserId: string | null;
}

export interface DirectoryPage {
  people: DirectoryEntry[];
  page: number;
  pageSize: number;
  total: number;
}

/** LIKE pattern for "contains", with the user's %, _ and \ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Every word must appear in the display name or the login name. */
export function nameFilter(q: string | undefined): SQL | undefined {
  if (!q) return undefined;
  const words = q.split(/\s+/).filter(Boolean).slice(0, 5);
  return and(
    ...words.map((w) => {
      const p = containsPattern(w);
      return or(sql`${people.displayName} ilike ${p}`, sql`coalesce(${people.username}, '') ilike ${p}`);
    }),
  );
}

export function departmentFilter(department: string | undefined): SQL | undefined {
  return department ? sql`${people.departments} @> ${JSON.stringify([department])}::jsonb` : undefined;
}

/** Searches enabled people; throws a ZodError for invalid input (the route answers 400). */
export async function searchDirectory(db: Db, input: DirectoryQuery): Promise<DirectoryPage> {
  const query = directoryQuerySchema.parse(input);
  const where = and(isNull(people.disabledAt), nameFilter(query.q), departmentFilter(query.department));
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: people.id,
        displayName: people.displayName,
        username: people.username,
        departments: people.departments,
        matrixUserId: people.matrixUserId,
      })
      .from(people)
      .where(where)
      .orderBy(asc(people.displayName), asc(people.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(people).where(where),
  ]);
  return { people: rows, page: query.page, pageSize: query.pageSize, total: total?.n ?? 0 };
}
