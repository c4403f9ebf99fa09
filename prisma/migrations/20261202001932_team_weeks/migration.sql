-- CreateTable
CREATE TABLE "TeamWeek" (
    "orgId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "week" DATE NOT NULL,
    "finished" INTEGER NOT NULL DEFAULT 0,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "unassisted" INTEGER NOT NULL DEFAULT 0,
    "intervened" INTEGER NOT NULL DEFAULT 0,
    "interventions" INTEGER NOT NULL DEFAULT 0,
    "unattended" INTEGER NOT NULL DEFAULT 0,
    "complexFinished" INTEGER NOT NULL DEFAULT 0,
    "costUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "costReported" INTEGER NOT NULL DEFAULT 0,
    "slaWithin" INTEGER NOT NULL DEFAULT 0,
    "slaBreached" INTEGER NOT NULL DEFAULT 0,
    "slaMissed" INTEGER NOT NULL DEFAULT 0,
    "slaOpen" INTEGER NOT NULL DEFAULT 0,
    "timeToPrMsSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "prsOpened" INTEGER NOT NULL DEFAULT 0,
    "prsMerged" INTEGER NOT NULL DEFAULT 0,
    "mergedSteered" INTEGER NOT NULL DEFAULT 0,
    "mergedReviewed" INTEGER NOT NULL DEFAULT 0,
    "mergedUnreviewed" INTEGER NOT NULL DEFAULT 0,
    "reviewLatencyMsSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "channels" "Channel"[] DEFAULT ARRAY[]::"Channel"[],
    "activeDevelopers" INTEGER NOT NULL DEFAULT 0,
    "meetingParallel" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "TeamWeek_pkey" PRIMARY KEY ("orgId","teamId","week")
);

-- CreateTable
CREATE TABLE "OrgWeek" (
    "orgId" TEXT NOT NULL,
    "week" DATE NOT NULL,
    "activeDevelopers" INTEGER NOT NULL DEFAULT 0,
    "meetingParallel" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "OrgWeek_pkey" PRIMARY KEY ("orgId","week")
);

-- CreateTable
CREATE TABLE "StaleTeamWeeks" (
    "orgId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,

    CONSTRAINT "StaleTeamWeeks_pkey" PRIMARY KEY ("orgId","teamId")
);

-- AddForeignKey
ALTER TABLE "TeamWeek" ADD CONSTRAINT "TeamWeek_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeamWeek" ADD CONSTRAINT "TeamWeek_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrgWeek" ADD CONSTRAINT "OrgWeek_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaleTeamWeeks" ADD CONSTRAINT "StaleTeamWeeks_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-Level Security: tenant rows like the other rollups.
ALTER TABLE "TeamWeek" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "TeamWeek" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "TeamWeek" USING ("orgId" = current_setting('app.org_id', true)) WITH CHECK ("orgId" = current_setting('app.org_id', true));

ALTER TABLE "OrgWeek" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "OrgWeek" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "OrgWeek" USING ("orgId" = current_setting('app.org_id', true)) WITH CHECK ("orgId" = current_setting('app.org_id', true));

ALTER TABLE "StaleTeamWeeks" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "StaleTeamWeeks" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "StaleTeamWeeks" USING ("orgId" = current_setting('app.org_id', true)) WITH CHECK ("orgId" = current_setting('app.org_id', true));

-- A team's members changing (added, removed, their membership or team deleted) marks its
-- TeamWeek rows stale; the next read of team figures rewrites them (rewriteTeamWeeks in
-- @parallax/metrics, the one definition of those rows). A deleted team is not marked: its rows
-- went with it. The trigger runs as the role that changed the members, under the same RLS.
-- A marker already there is updated, not skipped: the row lock makes a reader that takes it
-- (DELETE … RETURNING) wait for this transaction, so its rewrite sees this change.
CREATE FUNCTION "markStaleTeamWeeks"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO "StaleTeamWeeks" ("orgId", "teamId")
    SELECT DISTINCT n."orgId", n."teamId" FROM new_rows n WHERE EXISTS (SELECT 1 FROM "Team" t WHERE t.id = n."teamId")
    ON CONFLICT ("orgId", "teamId") DO UPDATE SET "teamId" = EXCLUDED."teamId";
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    INSERT INTO "StaleTeamWeeks" ("orgId", "teamId")
    SELECT DISTINCT o."orgId", o."teamId" FROM old_rows o WHERE EXISTS (SELECT 1 FROM "Team" t WHERE t.id = o."teamId")
    ON CONFLICT ("orgId", "teamId") DO UPDATE SET "teamId" = EXCLUDED."teamId";
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "TeamMember_inserted" AFTER INSERT ON "TeamMember" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "markStaleTeamWeeks"();
CREATE TRIGGER "TeamMember_updated" AFTER UPDATE ON "TeamMember" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "markStaleTeamWeeks"();
CREATE TRIGGER "TeamMember_deleted" AFTER DELETE ON "TeamMember" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "markStaleTeamWeeks"();

-- Backfill every org's weeks from DeveloperWeek (the statements rewriteOrgRollups runs for
-- them, as they are today), each org as itself so that RLS admits its rows; only the list of
-- orgs needs FORCE lifted (Organization forces RLS on its owner too, who runs migrations).
ALTER TABLE "Organization" NO FORCE ROW LEVEL SECURITY;

DO $backfill$
DECLARE org text;
BEGIN
  FOR org IN SELECT id FROM "Organization" LOOP
    -- As the org itself: the tables' RLS then admits exactly its rows.
    PERFORM set_config('app.org_id', org, true);
    EXECUTE $sql$DELETE FROM "OrgWeek" WHERE "orgId" = $1 AND ($2::date[] IS NULL OR week = ANY($2::date[]))$sql$ USING org, NULL::date[];
    EXECUTE $sql$INSERT INTO "OrgWeek" ("orgId", week, "activeDevelopers", "meetingParallel")
SELECT $1, week, count(*) FILTER (WHERE "daysAtMax1" + "daysAtMax2" + "daysAtMax3" + "daysAtMax4" + "daysAtMax5Plus" > 0)::int , count(*) FILTER (WHERE "daysAtMax1" + "daysAtMax2" + "daysAtMax3" + "daysAtMax4" + "daysAtMax5Plus" > 0 AND (CASE WHEN ((("daysAtMax1" + "daysAtMax2" + "daysAtMax3" + "daysAtMax4" + "daysAtMax5Plus") + 1) / 2) <= "daysAtMax1" THEN 1 WHEN ((("daysAtMax1" + "daysAtMax2" + "daysAtMax3" + "daysAtMax4" + "daysAtMax5Plus") + 1) / 2) <= "daysAtMax1" + "daysAtMax2" THEN 2 WHEN ((("daysAtMax1" + "daysAtMax2" + "daysAtMax3" + "daysAtMax4" + "daysAtMax5Plus") + 1) / 2) <= "daysAtMax1" + "daysAtMax2" + "daysAtMax3" THEN 3 WHEN ((("daysAtMax1" + "daysAtMax2" + "daysAtMax3" + "daysAtMax4" + "daysAtMax5Plus") + 1) / 2) <= "daysAtMax1" + "daysAtMax2" + "daysAtMax3" + "daysAtMax4" THEN 4 ELSE 5 END + CASE WHEN (("daysAtMax1" + "daysAtMax2" + "daysAtMax3" + "daysAtMax4" + "daysAtMax5Plus") / 2 + 1) <= "daysAtMax1" THEN 1 WHEN (("daysAtMax1" + "daysAtMax2" + "daysAtMax3" + "daysAtMax4" + "daysAtMax5Plus") / 2 + 1) <= "daysAtMax1" + "daysAtMax2" THEN 2 WHEN (("daysAtMax1" + "daysAtMax2" + "daysAtMax3" + "daysAtMax4" + "daysAtMax5Plus") / 2 + 1) <= "daysAtMax1" + "daysAtMax2" + "daysAtMax3" THEN 3 WHEN (("daysAtMax1" + "daysAtMax2" + "daysAtMax3" + "daysAtMax4" + "daysAtMax5Plus") / 2 + 1) <= "daysAtMax1" + "daysAtMax2" + "daysAtMax3" + "daysAtMax4" THEN 4 ELSE 5 END >= 6))::int  FROM "DeveloperWeek" WHERE "orgId" = $1 AND ($2::date[] IS NULL OR week = ANY($2::date[]))
GROUP BY week$sql$ USING org, NULL::date[];
    EXECUTE $sql$DELETE FROM "TeamWeek" WHERE "orgId" = $1 AND ($2::date[] IS NULL OR week = ANY($2::date[])) AND ($3::text[] IS NULL OR "teamId" = ANY($3::text[]))$sql$ USING org, NULL::date[], NULL::text[];
    EXECUTE $sql$WITH dw AS MATERIALIZED (
  SELECT tm."teamId" AS team, dw.* FROM "DeveloperWeek" dw
  JOIN "Membership" m ON m."orgId" = $1 AND m."userId" = dw."developerId"
  JOIN "TeamMember" tm ON tm."orgId" = $1 AND tm."membershipId" = m.id
  JOIN "Team" t ON t."orgId" = $1 AND t.id = tm."teamId"
  WHERE dw."orgId" = $1 AND ($2::date[] IS NULL OR dw.week = ANY($2::date[])) AND ($3::text[] IS NULL OR tm."teamId" = ANY($3::text[]))
), ch AS (
  SELECT team, week, array_agg(DISTINCT channel ORDER BY channel) AS channels FROM dw CROSS JOIN unnest(dw.channels) AS channel GROUP BY 1, 2
)
INSERT INTO "TeamWeek" ("orgId", "teamId", week, "finished", "succeeded", "unassisted", "intervened", "interventions", "unattended", "complexFinished", "costUsd", "costReported", "slaWithin", "slaBreached", "slaMissed", "slaOpen", "timeToPrMsSum", "prsOpened", "prsMerged", "mergedSteered", "mergedReviewed", "mergedUnreviewed", "reviewLatencyMsSum", channels, "activeDevelopers", "meetingParallel")
SELECT $1, s.team, s.week, s."finished", s."succeeded", s."unassisted", s."intervened", s."interventions", s."unattended", s."complexFinished", s."costUsd", s."costReported", s."slaWithin", s."slaBreached", s."slaMissed", s."slaOpen", s."timeToPrMsSum", s."prsOpened", s."prsMerged", s."mergedSteered", s."mergedReviewed", s."mergedUnreviewed", s."reviewLatencyMsSum", coalesce(ch.channels, '{}'), s.active, s.meeting
FROM (SELECT team, week, sum("finished") AS "finished", sum("succeeded") AS "succeeded", sum("unassisted") AS "unassisted", sum("intervened") AS "intervened", sum("interventions") AS "interventions", sum("unattended") AS "unattended", sum("complexFinished") AS "complexFinished", sum("costUsd") AS "costUsd", sum("costReported") AS "costReported", sum("slaWithin") AS "slaWithin", sum("slaBreached") AS "slaBreached", sum("slaMissed") AS "slaMissed", sum("slaOpen") AS "slaOpen", sum("timeToPrMsSum") AS "timeToPrMsSum", sum("prsOpened") AS "prsOpened", sum("prsMerged") AS "prsMerged", sum("mergedSteered") AS "mergedSteered", sum("mergedReviewed") AS "mergedReviewed", sum("mergedUnreviewed") AS "mergedUnreviewed", sum("reviewLatencyMsSum") AS "reviewLatencyMsSum", count(*) FILTER (WHERE "daysAtMax1" + "daysAtMax2" + "daysAtMax3" + "daysAtMax4" + "daysAtMax5Plus" > 0)::int AS active, count(*) FILTER (WHERE "daysAtMax1" + "daysAtMax2" + "daysAtMax3" + "daysAtMax4" + "daysAtMax5Plus" > 0 AND (CASE WHEN ((("daysAtMax1" + "daysAtMax2" + "daysAtMax3" + "daysAtMax4" + "daysAtMax5Plus") + 1) / 2) <= "daysAtMax1" THEN 1 WHEN ((("daysAtMax1" + "daysAtMax2" + "daysAtMax3" + "daysAtMax4" + "daysAtMax5Plus") + 1) / 2) <= "daysAtMax1" + "daysAtMax2" THEN 2 WHEN ((("daysAtMax1" + "daysAtMax2" + "daysAtMax3" + "daysAtMax4" + "daysAtMax5Plus") + 1) / 2) <= "daysAtMax1" + "daysAtMax2" + "daysAtMax3" THEN 3 WHEN ((("daysAtMax1" + "daysAtMax2" + "daysAtMax3" + "daysAtMax4" + "daysAtMax5Plus") + 1) / 2) <= "daysAtMax1" + "daysAtMax2" + "daysAtMax3" + "daysAtMax4" THEN 4 ELSE 5 END + CASE WHEN (("daysAtMax1" + "daysAtMax2" + "daysAtMax3" + "daysAtMax4" + "daysAtMax5Plus") / 2 + 1) <= "daysAtMax1" THEN 1 WHEN (("daysAtMax1" + "daysAtMax2" + "daysAtMax3" + "daysAtMax4" + "daysAtMax5Plus") / 2 + 1) <= "daysAtMax1" + "daysAtMax2" THEN 2 WHEN (("daysAtMax1" + "daysAtMax2" + "daysAtMax3" + "daysAtMax4" + "daysAtMax5Plus") / 2 + 1) <= "daysAtMax1" + "daysAtMax2" + "daysAtMax3" THEN 3 WHEN (("daysAtMax1" + "daysAtMax2" + "daysAtMax3" + "daysAtMax4" + "daysAtMax5Plus") / 2 + 1) <= "daysAtMax1" + "daysAtMax2" + "daysAtMax3" + "daysAtMax4" THEN 4 ELSE 5 END >= 6))::int AS meeting
      FROM dw GROUP BY team, week) s
LEFT JOIN ch ON ch.team = s.team AND ch.week = s.week$sql$ USING org, NULL::date[], NULL::text[];
  END LOOP;
  PERFORM set_config('app.org_id', '', true);
END
$backfill$;

ALTER TABLE "Organization" FORCE ROW LEVEL SECURITY;
