-- AlterTable
ALTER TABLE "OrgWeek" ADD COLUMN     "channels" "Channel"[] DEFAULT ARRAY[]::"Channel"[];

-- The weeks already rolled up: their channels from ChannelWeek, as the rewrite writes them from
-- now on (a week with invocations but no session gets its row too). Each org as itself, so that
-- RLS admits its rows; only the list of orgs needs FORCE lifted (Organization forces RLS on its
-- owner too, who runs migrations).
ALTER TABLE "Organization" NO FORCE ROW LEVEL SECURITY;

DO $backfill$
DECLARE org text;
BEGIN
  FOR org IN SELECT id FROM "Organization" LOOP
    PERFORM set_config('app.org_id', org, true);
    INSERT INTO "OrgWeek" ("orgId", week, "channels")
    SELECT org, week, array_agg(DISTINCT channel ORDER BY channel)
    FROM "ChannelWeek" WHERE "orgId" = org
    GROUP BY week
    ON CONFLICT ("orgId", week) DO UPDATE SET "channels" = EXCLUDED."channels";
  END LOOP;
  PERFORM set_config('app.org_id', '', true);
END
$backfill$;

ALTER TABLE "Organization" FORCE ROW LEVEL SECURITY;
