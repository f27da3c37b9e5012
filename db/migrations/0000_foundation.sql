CREATE TABLE "communities" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "communities_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"platform" text NOT NULL,
	"platform_ref" text NOT NULL,
	"name" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dm_channels" (
	"platform" text NOT NULL,
	"workspace_ref" text NOT NULL,
	"user_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"blocked_at" timestamp with time zone,
	CONSTRAINT "dm_channels_platform_workspace_ref_user_id_pk" PRIMARY KEY("platform","workspace_ref","user_id")
);
--> statement-breakpoint
CREATE TABLE "group_memberships" (
	"group_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"community_id" integer NOT NULL,
	"role" text DEFAULT 'member' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"seat_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "group_memberships_group_id_member_id_pk" PRIMARY KEY("group_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "groups" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "groups_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"community_id" integer NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"home_channel_ref" text NOT NULL,
	"intro_channel_ref" text,
	"timezone" text NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "members" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "members_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"community_id" integer NOT NULL,
	"platform_user_id" text NOT NULL,
	"display_name" text NOT NULL,
	"timezone" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "posted_messages" (
	"community_id" integer NOT NULL,
	"key" text NOT NULL,
	"channel_ref" text NOT NULL,
	"message_ref" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "posted_messages_community_id_key_pk" PRIMARY KEY("community_id","key")
);
--> statement-breakpoint
CREATE TABLE "processed_interactions" (
	"platform" text NOT NULL,
	"interaction_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processed_interactions_platform_interaction_id_pk" PRIMARY KEY("platform","interaction_id")
);
--> statement-breakpoint
CREATE TABLE "slack_installations" (
	"install_key" text PRIMARY KEY NOT NULL,
	"team_id" text,
	"enterprise_id" text,
	"ciphertext" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "group_memberships" ADD CONSTRAINT "group_memberships_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_memberships" ADD CONSTRAINT "group_memberships_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_memberships" ADD CONSTRAINT "group_memberships_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "groups" ADD CONSTRAINT "groups_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posted_messages" ADD CONSTRAINT "posted_messages_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "communities_platform_ref" ON "communities" USING btree ("platform","platform_ref");--> statement-breakpoint
CREATE INDEX "group_memberships_member" ON "group_memberships" USING btree ("community_id","member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "groups_home_channel" ON "groups" USING btree ("community_id","home_channel_ref");--> statement-breakpoint
CREATE UNIQUE INDEX "groups_name" ON "groups" USING btree ("community_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "members_platform_user" ON "members" USING btree ("community_id","platform_user_id");