CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"subject" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subject" text NOT NULL,
	"matrix_user_id" text,
	"username" text,
	"display_name" text NOT NULL,
	"email" text,
	"departments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"role" text DEFAULT 'staff' NOT NULL,
	"last_sign_in_at" timestamp with time zone,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "people_subject_unique" UNIQUE("subject"),
	CONSTRAINT "people_matrix_user_id_unique" UNIQUE("matrix_user_id")
);
--> statement-breakpoint
CREATE TABLE "portal_sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoke_reason" text,
	"idp_session_id" text,
	"id_token_enc" text,
	"refresh_token_enc" text,
	"matrix_login_state" text,
	"matrix_user_id" text,
	"matrix_device_id" text,
	"matrix_access_token_enc" text
);
--> statement-breakpoint
ALTER TABLE "portal_sessions" ADD CONSTRAINT "portal_sessions_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_action_idx" ON "audit_log" USING btree ("action");--> statement-breakpoint
CREATE INDEX "portal_sessions_person_idx" ON "portal_sessions" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "portal_sessions_idp_sid_idx" ON "portal_sessions" USING btree ("idp_session_id");