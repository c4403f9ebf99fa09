-- AlterTable
ALTER TABLE "DeveloperWeek" ADD COLUMN     "cumActiveMs" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "cumAreaMs" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "cumComplexFinished" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "cumFinished" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "cumIntervened" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "cumPrsMerged" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "cumSingleMerged" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "cumSingleWeeks" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "cumSlaLate" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "cumSlaWithin" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "cumSucceeded" INTEGER NOT NULL DEFAULT 0;

-- Backfill the running sums from the weeks an install already has, with the expressions the
-- rollups keep them at (RUNNING_SUMS in packages/metrics/src/rollup-week-sql.ts), each org as
-- itself so that RLS admits its rows; only the list of orgs needs FORCE lifted (Organization
-- forces RLS on its owner too, who runs migrations).
ALTER TABLE "Organization" NO FORCE ROW LEVEL SECURITY;

DO $backfill$
DECLARE org text;
BEGIN
  FOR org IN SELECT id FROM "Organization" LOOP
    PERFORM set_config('app.org_id', org, true);
    UPDATE "DeveloperWeek" dw
    SET "cumSingleWeeks" = r.single_weeks, "cumSingleMerged" = r.single_merged, "cumFinished" = r.finished,
        "cumSucceeded" = r.succeeded, "cumIntervened" = r.intervened, "cumComplexFinished" = r.complex,
        "cumSlaWithin" = r.within, "cumSlaLate" = r.late, "cumPrsMerged" = r.merged,
        "cumActiveMs" = r.active_ms, "cumAreaMs" = r.area_ms
    FROM (
      SELECT "developerId", week,
             sum(("activeMs" > 0 AND "maxConcurrency" <= 1)::int) OVER w AS single_weeks,
             sum(CASE WHEN "activeMs" > 0 AND "maxConcurrency" <= 1 THEN "prsMerged" ELSE 0 END) OVER w AS single_merged,
             sum(finished) OVER w AS finished, sum(succeeded) OVER w AS succeeded, sum(intervened) OVER w AS intervened,
             sum("complexFinished") OVER w AS complex, sum("slaWithin") OVER w AS within,
             sum("slaBreached" + "slaMissed") OVER w AS late, sum("prsMerged") OVER w AS merged,
             sum("activeMs") OVER w AS active_ms, sum("areaMs") OVER w AS area_ms
      FROM "DeveloperWeek" WHERE "orgId" = org
      WINDOW w AS (PARTITION BY "developerId" ORDER BY week)
    ) r
    WHERE dw."orgId" = org AND dw."developerId" = r."developerId" AND dw.week = r.week;
  END LOOP;
  PERFORM set_config('app.org_id', '', true);
END
$backfill$;

ALTER TABLE "Organization" FORCE ROW LEVEL SECURITY;
