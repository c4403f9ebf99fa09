-- AlterTable
ALTER TABLE "DeveloperWeek" ADD COLUMN     "cumDaysAtMax1" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "cumDaysAtMax2" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "cumDaysAtMax3" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "cumDaysAtMax4" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "cumDaysAtMax5Plus" INTEGER NOT NULL DEFAULT 0;

-- Backfill the running sums from the weeks an install already has (what the rollups'
-- rewriteDeveloperWeeks keeps them at), each org as itself so that RLS admits its rows; only
-- the list of orgs needs FORCE lifted (Organization forces RLS on its owner too, who runs
-- migrations). Autovacuum takes the old row versions afterwards.
ALTER TABLE "Organization" NO FORCE ROW LEVEL SECURITY;

DO $backfill$
DECLARE org text;
BEGIN
  FOR org IN SELECT id FROM "Organization" LOOP
    PERFORM set_config('app.org_id', org, true);
    UPDATE "DeveloperWeek" dw
    SET "cumDaysAtMax1" = r.c1, "cumDaysAtMax2" = r.c2, "cumDaysAtMax3" = r.c3, "cumDaysAtMax4" = r.c4, "cumDaysAtMax5Plus" = r.c5
    FROM (
      SELECT "developerId", week,
             sum("daysAtMax1") OVER w AS c1, sum("daysAtMax2") OVER w AS c2, sum("daysAtMax3") OVER w AS c3,
             sum("daysAtMax4") OVER w AS c4, sum("daysAtMax5Plus") OVER w AS c5
      FROM "DeveloperWeek" WHERE "orgId" = org
      WINDOW w AS (PARTITION BY "developerId" ORDER BY week)
    ) r
    WHERE dw."orgId" = org AND dw."developerId" = r."developerId" AND dw.week = r.week;
  END LOOP;
  PERFORM set_config('app.org_id', '', true);
END
$backfill$;

ALTER TABLE "Organization" FORCE ROW LEVEL SECURITY;
