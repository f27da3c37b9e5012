CREATE TABLE "pairing_enrollments" (
	"program_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"status" text NOT NULL,
	"snoozed_until" timestamp with time zone,
	"skip_next" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pairing_enrollments_program_id_member_id_pk" PRIMARY KEY("program_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "pairing_exclusions" (
	"community_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"other_member_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pairing_exclusions_member_id_other_member_id_pk" PRIMARY KEY("member_id","other_member_id")
);
--> statement-breakpoint
CREATE TABLE "pairing_group_members" (
	"pairing_group_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	CONSTRAINT "pairing_group_members_pairing_group_id_member_id_pk" PRIMARY KEY("pairing_group_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "pairing_groups" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "pairing_groups_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"round_id" integer NOT NULL,
	"kind" text DEFAULT 'match' NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"starter" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pairing_programs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "pairing_programs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"community_id" integer NOT NULL,
	"group_id" integer NOT NULL,
	"name" text NOT NULL,
	"cadence" text NOT NULL,
	"cron" text NOT NULL,
	"group_size" integer DEFAULT 2 NOT NULL,
	"mode" text DEFAULT 'standard' NOT NULL,
	"mentor_capacity" integer DEFAULT 1 NOT NULL,
	"enrollment" text DEFAULT 'opt-in' NOT NULL,
	"channel_ref" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"next_run_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pairing_round_members" (
	"round_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"pairing_group_id" integer,
	"unplaced_code" text,
	"answer" text,
	"answered_at" timestamp with time zone,
	"wants_rematch" boolean DEFAULT false NOT NULL,
	CONSTRAINT "pairing_round_members_round_id_member_id_pk" PRIMARY KEY("round_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "pairing_rounds" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "pairing_rounds_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"program_id" integer NOT NULL,
	"community_id" integer NOT NULL,
	"number" integer NOT NULL,
	"slot_key" text NOT NULL,
	"trigger" text NOT NULL,
	"seed" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"midpoint_at" timestamp with time zone NOT NULL,
	"final_check_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"midpoint_sent_at" timestamp with time zone,
	"final_sent_at" timestamp with time zone,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "pairing_starters" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "pairing_starters_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"group_id" integer NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "round_outcomes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "round_outcomes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"pairing_group_id" integer NOT NULL,
	"member_id" integer,
	"kind" text NOT NULL,
	"referral_id" integer,
	"connection_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "pairing_enrollments" ADD CONSTRAINT "pairing_enrollments_program_id_pairing_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."pairing_programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_enrollments" ADD CONSTRAINT "pairing_enrollments_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_exclusions" ADD CONSTRAINT "pairing_exclusions_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_exclusions" ADD CONSTRAINT "pairing_exclusions_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_exclusions" ADD CONSTRAINT "pairing_exclusions_other_member_id_members_id_fk" FOREIGN KEY ("other_member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_group_members" ADD CONSTRAINT "pairing_group_members_pairing_group_id_pairing_groups_id_fk" FOREIGN KEY ("pairing_group_id") REFERENCES "public"."pairing_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_group_members" ADD CONSTRAINT "pairing_group_members_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_groups" ADD CONSTRAINT "pairing_groups_round_id_pairing_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."pairing_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_programs" ADD CONSTRAINT "pairing_programs_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_programs" ADD CONSTRAINT "pairing_programs_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_round_members" ADD CONSTRAINT "pairing_round_members_round_id_pairing_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."pairing_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_round_members" ADD CONSTRAINT "pairing_round_members_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_round_members" ADD CONSTRAINT "pairing_round_members_pairing_group_id_pairing_groups_id_fk" FOREIGN KEY ("pairing_group_id") REFERENCES "public"."pairing_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_rounds" ADD CONSTRAINT "pairing_rounds_program_id_pairing_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."pairing_programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_rounds" ADD CONSTRAINT "pairing_rounds_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_starters" ADD CONSTRAINT "pairing_starters_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_outcomes" ADD CONSTRAINT "round_outcomes_pairing_group_id_pairing_groups_id_fk" FOREIGN KEY ("pairing_group_id") REFERENCES "public"."pairing_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_outcomes" ADD CONSTRAINT "round_outcomes_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_outcomes" ADD CONSTRAINT "round_outcomes_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_outcomes" ADD CONSTRAINT "round_outcomes_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pairing_exclusions_community" ON "pairing_exclusions" USING btree ("community_id");--> statement-breakpoint
CREATE INDEX "pairing_group_members_member" ON "pairing_group_members" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "pairing_groups_round" ON "pairing_groups" USING btree ("round_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pairing_programs_name" ON "pairing_programs" USING btree ("group_id",lower("name"));--> statement-breakpoint
CREATE INDEX "pairing_programs_due" ON "pairing_programs" USING btree ("next_run_at") WHERE "pairing_programs"."active";--> statement-breakpoint
CREATE UNIQUE INDEX "pairing_rounds_slot" ON "pairing_rounds" USING btree ("program_id","slot_key");--> statement-breakpoint
CREATE INDEX "pairing_rounds_open" ON "pairing_rounds" USING btree ("ends_at") WHERE "pairing_rounds"."closed_at" is null;--> statement-breakpoint
CREATE INDEX "pairing_starters_group" ON "pairing_starters" USING btree ("group_id");--> statement-breakpoint
CREATE UNIQUE INDEX "round_outcomes_one" ON "round_outcomes" USING btree ("pairing_group_id","member_id","kind");--> statement-breakpoint
CREATE INDEX "round_outcomes_member" ON "round_outcomes" USING btree ("member_id","kind");