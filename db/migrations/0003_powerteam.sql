CREATE TABLE "category_affinities" (
	"community_id" integer NOT NULL,
	"group_id" integer NOT NULL,
	"giver_category" text NOT NULL,
	"receiver_category" text NOT NULL,
	"slips" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "category_affinities_community_id_giver_category_receiver_category_group_id_pk" PRIMARY KEY("community_id","giver_category","receiver_category","group_id")
);
--> statement-breakpoint
CREATE TABLE "group_spheres" (
	"group_id" integer NOT NULL,
	"sphere_key" text NOT NULL,
	"label" text NOT NULL,
	"category_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "group_spheres_group_id_sphere_key_category_key_pk" PRIMARY KEY("group_id","sphere_key","category_key")
);
--> statement-breakpoint
CREATE TABLE "seat_leads" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "seat_leads_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"community_id" integer NOT NULL,
	"group_id" integer NOT NULL,
	"visitor_id" integer NOT NULL,
	"inviter_id" integer NOT NULL,
	"category_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "category_affinities" ADD CONSTRAINT "category_affinities_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_spheres" ADD CONSTRAINT "group_spheres_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seat_leads" ADD CONSTRAINT "seat_leads_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seat_leads" ADD CONSTRAINT "seat_leads_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seat_leads" ADD CONSTRAINT "seat_leads_visitor_id_visitors_id_fk" FOREIGN KEY ("visitor_id") REFERENCES "public"."visitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seat_leads" ADD CONSTRAINT "seat_leads_inviter_id_members_id_fk" FOREIGN KEY ("inviter_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "category_affinities_receiver" ON "category_affinities" USING btree ("community_id","receiver_category","giver_category");--> statement-breakpoint
CREATE UNIQUE INDEX "seat_leads_visitor" ON "seat_leads" USING btree ("visitor_id");--> statement-breakpoint
CREATE INDEX "seat_leads_group" ON "seat_leads" USING btree ("group_id","category_key");--> statement-breakpoint
CREATE INDEX "connections_group" ON "connections" USING btree ("group_id","created_at");--> statement-breakpoint
CREATE INDEX "closed_business_group" ON "closed_business" USING btree ("group_id","created_at","giver_id","receiver_id");--> statement-breakpoint
CREATE INDEX "referrals_group_created" ON "referrals" USING btree ("group_id","created_at","giver_id","receiver_id","status","currency","amount");