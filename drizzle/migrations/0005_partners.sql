CREATE TABLE "federation_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"partner_id" uuid,
	"room_id" uuid
);
--> statement-breakpoint
CREATE TABLE "partner_servers" (
	"server_name" text PRIMARY KEY NOT NULL,
	"partner_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partners" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"contact" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "room_partners" (
	"room_id" uuid NOT NULL,
	"partner_id" uuid NOT NULL,
	"added_by" uuid,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "room_partners_room_id_partner_id_pk" PRIMARY KEY("room_id","partner_id")
);
--> statement-breakpoint
ALTER TABLE "partner_servers" ADD CONSTRAINT "partner_servers_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_partners" ADD CONSTRAINT "room_partners_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_partners" ADD CONSTRAINT "room_partners_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_partners" ADD CONSTRAINT "room_partners_added_by_people_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "partner_servers_partner_idx" ON "partner_servers" USING btree ("partner_id");--> statement-breakpoint
CREATE INDEX "room_partners_partner_idx" ON "room_partners" USING btree ("partner_id");