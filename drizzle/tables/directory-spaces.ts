import { index, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The service's directory spaces: one for the whole city and one per
 * department (from the SSO groups). Rooms open to a department or the city
 * carry a restricted join rule that names the space, so the homeserver
 * decides who may join. The service account creates each space; a row
 * without a Matrix room id is a creation in flight (a concurrent sign-in
 * waits for it instead of creating a second space).
 */
export const directorySpaces = pgTable("directory_spaces", {
  /** `city`, or `department:<name>` with the department as the groups claim names it. */
  key: text("key").primaryKey(),
  scope: text("scope", { enum: ["city", "department"] }).notNull(),
  department: text("department"),
  matrixRoomId: text("matrix_room_id").unique(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Who the service last saw joined to which directory space: a cache that lets
 * a dashboard load skip the homeserver when nothing changed. The homeserver's
 * own membership is the truth; every sign-in re-reads it.
 */
export const directorySpaceMembers = pgTable(
  "directory_space_members",
  {
    spaceKey: text("space_key")
      .notNull()
      .references(() => directorySpaces.key, { onDelete: "cascade" }),
    matrixUserId: text("matrix_user_id").notNull(),
    joinedAt: timestamp("joined_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.spaceKey, t.matrixUserId] }), index("directory_space_members_user_idx").on(t.matrixUserId)],
);

export type DirectorySpace = typeof directorySpaces.$inferSelect;
