CREATE TABLE "guest_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"room_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"max_uses" integer DEFAULT 1 NOT NULL,
	"uses" integer DEFAULT 0 NOT NULL,
	"requires_admission" boolean DEFAULT false NOT NULL,
	"created_by" uuid NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "guest_links_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "guest_links_uses_check" CHECK ("guest_links"."uses" >= 0 and "guest_links"."uses" <= "guest_links"."max_uses" and "guest_links"."max_uses" >= 1)
);
--> statement-breakpoint
CREATE TABLE "guests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"link_id" uuid NOT NULL,
	"matrix_user_id" text NOT NULL,
	"display_name" text NOT NULL,
	"session_hash" text NOT NULL,
	"accepted_rules_version" integer NOT NULL,
	"accepted_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"matrix_device_id" text,
	"matrix_access_token_enc" text,
	"joined_at" timestamp with time zone,
	"removed_at" timestamp with time zone,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "guests_matrix_user_id_unique" UNIQUE("matrix_user_id"),
	CONSTRAINT "guests_session_hash_unique" UNIQUE("session_hash")
);
--> statement-breakpoint
CREATE TABLE "usage_rules" (
	"version" integer PRIMARY KEY NOT NULL,
	"text_de" text NOT NULL,
	"text_en" text NOT NULL,
	"privacy_de" text NOT NULL,
	"privacy_en" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "guest_links" ADD CONSTRAINT "guest_links_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guest_links" ADD CONSTRAINT "guest_links_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guest_links" ADD CONSTRAINT "guest_links_revoked_by_people_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guests" ADD CONSTRAINT "guests_link_id_guest_links_id_fk" FOREIGN KEY ("link_id") REFERENCES "public"."guest_links"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guests" ADD CONSTRAINT "guests_accepted_rules_version_usage_rules_version_fk" FOREIGN KEY ("accepted_rules_version") REFERENCES "public"."usage_rules"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guests" ADD CONSTRAINT "guests_decided_by_people_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_rules" ADD CONSTRAINT "usage_rules_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "guest_links_room_idx" ON "guest_links" USING btree ("room_id");--> statement-breakpoint
CREATE INDEX "guests_link_idx" ON "guests" USING btree ("link_id");--> statement-breakpoint
CREATE INDEX "guests_status_expires_idx" ON "guests" USING btree ("status","expires_at");--> statement-breakpoint
INSERT INTO "usage_rules" ("version", "text_de", "text_en", "privacy_de", "privacy_en") VALUES (1,
'Sie nehmen als Gast an einem Chat-Raum oder einer Videokonferenz der Stadtverwaltung {stadt} teil. Mit der Teilnahme erkennen Sie diese Regeln an:

1. Der Zugangslink ist für Sie bestimmt. Geben Sie ihn nicht weiter.
2. Wählen Sie einen Anzeigenamen, unter dem man Sie im Gespräch erkennt. Ihr Name wird mit dem Zusatz „(Gast)“ angezeigt. Ein Pseudonym ist erlaubt, solange Sie sich nicht als eine andere Person oder als Beschäftigte der Stadt ausgeben.
3. Bild- und Tonaufnahmen, Mitschnitte und Bildschirmfotos des Gesprächs sind ohne Zustimmung aller Beteiligten nicht erlaubt (§ 201 StGB).
4. Vertrauliche Inhalte des Gesprächs dürfen Sie nicht an Dritte weitergeben.
5. Beleidigende, rechtswidrige oder werbende Inhalte sind untersagt.
6. Nutzen Sie ein Gerät, das nur Sie verwenden, oder schließen Sie das Browserfenster nach dem Gespräch.
7. Ihr Gastzugang gilt nur für diesen einen Raum und endet mit dem Ablauf des Links oder des Termins. Die Moderation kann Sie jederzeit aus dem Raum entfernen.
8. Ihre Nachrichten bleiben für die Teilnehmenden im Verlauf des Raums sichtbar, solange der Raum besteht.

Die Haftung der Stadt für Schäden aus der Verletzung des Lebens, des Körpers oder der Gesundheit sowie für vorsätzlich oder grob fahrlässig verursachte Schäden bleibt unberührt.',
'You are joining a chat room or video meeting of the {stadt} city administration as a guest. By taking part you accept these rules (the German text is binding; this is a translation):

1. The access link is meant for you. Do not pass it on.
2. Choose a display name by which the others recognise you. It is shown with the suffix “(Gast)” (guest). A pseudonym is allowed as long as you do not pretend to be someone else or a member of the city staff.
3. Recording sound or video, screen captures and transcripts of the conversation are not allowed without the consent of everyone taking part (section 201 of the German Criminal Code).
4. Do not pass confidential content of the conversation on to others.
5. Insulting, unlawful or advertising content is prohibited.
6. Use a device only you use, or close the browser window after the conversation.
7. Your guest access is valid for this one room only and ends when the link or the appointment expires. The moderators can remove you from the room at any time.
8. Your messages stay visible to the participants in the room history as long as the room exists.

The city remains liable for injury to life, body or health and for damage caused intentionally or by gross negligence.',
'Datenschutzhinweis (Art. 13 DSGVO)

Verantwortlich ist die Stadtverwaltung {stadt}. Die Kontaktdaten der oder des behördlichen Datenschutzbeauftragten finden Sie im Impressum der Stadt.

Welche Daten: der von Ihnen gewählte Anzeigename, Zeitpunkt und Version Ihrer Zustimmung zu den Nutzungsregeln, der verwendete Zugangslink, Ihre Nachrichten und Beiträge im Raum sowie technisch notwendige Verbindungsdaten (IP-Adresse, Browserkennung) in den Protokollen der Server. E-Mail-Adresse, Telefonnummer oder andere Angaben werden nicht erhoben.

Zweck und Rechtsgrundlage: Durchführung der Besprechung, zu der Sie eingeladen wurden, im Rahmen der Aufgaben der Stadt (Art. 6 Abs. 1 lit. e DSGVO) und die Sicherheit des Dienstes.

Speicherdauer: Ihr Gastkonto wird deaktiviert, sobald der Link oder der Termin abläuft oder die Moderation Sie entfernt; Anzeigename und Konto werden danach nach dem Löschkonzept der Stadt gelöscht. Nachrichten bleiben bis zur Löschung des Raums gespeichert. Verbindungsprotokolle werden nach kurzer Zeit gelöscht.

Empfänger: die übrigen Teilnehmenden des Raums. Die Dienste laufen auf Servern der Stadt bzw. ihres kommunalen IT-Dienstleisters; eine Übermittlung in Drittländer findet nicht statt.

Ihre Rechte: Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung und Widerspruch (Art. 15–21 DSGVO) sowie Beschwerde bei der zuständigen Datenschutz-Aufsichtsbehörde.',
'Privacy notice (Art. 13 GDPR; the German text is binding)

The controller is the {stadt} city administration. You find the contact details of its data protection officer in the city''s legal notice.

What data: the display name you choose, the time and version of your consent to the usage rules, the access link used, your messages and contributions in the room, and technically necessary connection data (IP address, browser identification) in the server logs. No e-mail address, phone number or other details are collected.

Purpose and legal basis: holding the meeting you were invited to, as part of the city''s tasks (Art. 6(1)(e) GDPR), and the security of the service.

Retention: your guest account is deactivated as soon as the link or appointment expires or the moderators remove you; the display name and the account are then deleted according to the city''s deletion policy. Messages are kept until the room is deleted. Connection logs are deleted after a short time.

Recipients: the other participants of the room. The services run on servers of the city or its municipal IT provider; no data is transferred to third countries.

Your rights: access, rectification, erasure, restriction of processing and objection (Art. 15–21 GDPR), and the right to lodge a complaint with the competent data protection supervisory authority.');
