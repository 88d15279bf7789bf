CREATE TABLE "appservice_transactions" (
	"txn_id" text PRIMARY KEY NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "bot_outbox" (
	"txn_id" text PRIMARY KEY NOT NULL,
	"sender" text NOT NULL,
	"room_id" text NOT NULL,
	"event_type" text NOT NULL,
	"content" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"event_id" text
);
--> statement-breakpoint
CREATE INDEX "appservice_transactions_received_idx" ON "appservice_transactions" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "bot_outbox_created_idx" ON "bot_outbox" USING btree ("created_at");