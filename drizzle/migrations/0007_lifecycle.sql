CREATE TABLE "lifecycle_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"target" text NOT NULL,
	"room_kind" text,
	"reason" text NOT NULL,
	"policy_version" integer NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"delete_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"locked_by" text,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "retention_policies" (
	"version" bigserial PRIMARY KEY NOT NULL,
	"meeting_delete_after_days" integer NOT NULL,
	"meeting_warn_days_before" integer NOT NULL,
	"team_warn_after_days" integer NOT NULL,
	"team_delete_after_days" integer NOT NULL,
	"direct_warn_after_days" integer NOT NULL,
	"direct_delete_after_days" integer NOT NULL,
	"guest_erase_after_days" integer NOT NULL,
	"postpone_days" integer NOT NULL,
	"max_room_override_days" integer NOT NULL,
	"message_retention_days" integer,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "retention_policies_positive" CHECK ("retention_policies"."meeting_delete_after_days" >= 1 and "retention_policies"."team_warn_after_days" >= 1 and "retention_policies"."direct_warn_after_days" >= 1),
	CONSTRAINT "retention_policies_order" CHECK ("retention_policies"."team_delete_after_days" > "retention_policies"."team_warn_after_days" and "retention_policies"."direct_delete_after_days" > "retention_policies"."direct_warn_after_days")
);
--> statement-breakpoint
CREATE TABLE "room_retention" (
	"room_id" uuid PRIMARY KEY NOT NULL,
	"warned_for" timestamp with time zone,
	"warned_at" timestamp with time zone,
	"postponed_at" timestamp with time zone,
	"postponed_by" text,
	"postponed_days" integer,
	"kept_at" timestamp with time zone,
	"kept_by" uuid,
	"keep_reason" text,
	"override_days" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "retention_policies" ADD CONSTRAINT "retention_policies_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_retention" ADD CONSTRAINT "room_retention_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_retention" ADD CONSTRAINT "room_retention_kept_by_people_id_fk" FOREIGN KEY ("kept_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "lifecycle_jobs_kind_target_idx" ON "lifecycle_jobs" USING btree ("kind","target");--> statement-breakpoint
CREATE INDEX "lifecycle_jobs_state_next_idx" ON "lifecycle_jobs" USING btree ("state","next_attempt_at");