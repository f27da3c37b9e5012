ALTER TABLE "meeting_calendar" ADD COLUMN "event_ref" text;--> statement-breakpoint
ALTER TABLE "meeting_calendar" ADD COLUMN "event_sequence" integer;