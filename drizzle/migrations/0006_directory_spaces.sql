CREATE TABLE "directory_space_members" (
	"space_key" text NOT NULL,
	"matrix_user_id" text NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "directory_space_members_space_key_matrix_user_id_pk" PRIMARY KEY("space_key","matrix_user_id")
);
--> statement-breakpoint
CREATE TABLE "directory_spaces" (
	"key" text PRIMARY KEY NOT NULL,
	"scope" text NOT NULL,
	"department" text,
	"matrix_room_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "directory_spaces_matrix_room_id_unique" UNIQUE("matrix_room_id")
);
--> statement-breakpoint
ALTER TABLE "directory_space_members" ADD CONSTRAINT "directory_space_members_space_key_directory_spaces_key_fk" FOREIGN KEY ("space_key") REFERENCES "public"."directory_spaces"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "directory_space_members_user_idx" ON "directory_space_members" USING btree ("matrix_user_id");