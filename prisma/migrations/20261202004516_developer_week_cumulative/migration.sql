-- AlterTable
ALTER TABLE "DeveloperWeek" ADD COLUMN     "cumDaysAtMax1" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "cumDaysAtMax2" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "cumDaysAtMax3" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "cumDaysAtMax4" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "cumDaysAtMax5Plus" INTEGER NOT NULL DEFAULT 0;

-- Backfill the running sums from the weeks an install already has (what the rollups'
-- rewriteDeveloperWeeks keeps them at). DeveloperWeek forces RLS on its owner too, who runs
-- migrations: lifted while it is rewritten, then forced again.
ALTER TABLE "DeveloperWeek" NO FORCE ROW LEVEL SECURITY;
UPDATE "DeveloperWeek" dw
SET "cumDaysAtMax1" = r.c1, "cumDaysAtMax2" = r.c2, "cumDaysAtMax3" = r.c3, "cumDaysAtMax4" = r.c4, "cumDaysAtMax5Plus" = r.c5
FROM (
  SELECT "orgId", "developerId", week,
         sum("daysAtMax1") OVER w AS c1, sum("daysAtMax2") OVER w AS c2, sum("daysAtMax3") OVER w AS c3,
         sum("daysAtMax4") OVER w AS c4, sum("daysAtMax5Plus") OVER w AS c5
  FROM "DeveloperWeek"
  WINDOW w AS (PARTITION BY "orgId", "developerId" ORDER BY week)
) r
WHERE dw."orgId" = r."orgId" AND dw."developerId" = r."developerId" AND dw.week = r.week;
ALTER TABLE "DeveloperWeek" FORCE ROW LEVEL SECURITY;
