CREATE TABLE "staff_rules_acceptances" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"rules_version" integer NOT NULL,
	"accepted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"homeserver_recorded_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "staff_rules_acceptances" ADD CONSTRAINT "staff_rules_acceptances_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_rules_acceptances" ADD CONSTRAINT "staff_rules_acceptances_rules_version_usage_rules_version_fk" FOREIGN KEY ("rules_version") REFERENCES "public"."usage_rules"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "staff_rules_acceptances_person_version_idx" ON "staff_rules_acceptances" USING btree ("person_id","rules_version");--> statement-breakpoint
CREATE INDEX "staff_rules_acceptances_person_idx" ON "staff_rules_acceptances" USING btree ("person_id");