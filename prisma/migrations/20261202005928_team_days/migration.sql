-- CreateTable
CREATE TABLE "TeamDay" (
    "orgId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "day" DATE NOT NULL,
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

    CONSTRAINT "TeamDay_pkey" PRIMARY KEY ("orgId","day","teamId")
);

-- AddForeignKey
ALTER TABLE "TeamDay" ADD CONSTRAINT "TeamDay_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeamDay" ADD CONSTRAINT "TeamDay_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-Level Security: tenant rows like the other rollups.
ALTER TABLE "TeamDay" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "TeamDay" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "TeamDay" USING ("orgId" = current_setting('app.org_id', true)) WITH CHECK ("orgId" = current_setting('app.org_id', true));

-- Backfill every org's team days from its members' daily rows (the statements
-- rewriteTeamRollups runs for them, as they are today), each org as itself so that RLS admits
-- its rows; only the list of orgs needs FORCE lifted (Organization forces RLS on its owner
-- too, who runs migrations).
ALTER TABLE "Organization" NO FORCE ROW LEVEL SECURITY;

DO $backfill$
DECLARE org text;
BEGIN
  FOR org IN SELECT id FROM "Organization" LOOP
    -- As the org itself: the tables' RLS then admits exactly its rows.
    PERFORM set_config('app.org_id', org, true);
    EXECUTE $sql$DELETE FROM "TeamDay" WHERE "orgId" = $1 AND ($2::date[] IS NULL OR day = ANY($2::date[])) AND ($3::text[] IS NULL OR "teamId" = ANY($3::text[]))$sql$ USING org, NULL::date[], NULL::text[];
    EXECUTE $sql$WITH tm AS MATERIALIZED (
  SELECT tm."teamId" AS team, m."userId" AS dev FROM "TeamMember" tm
  JOIN "Membership" m ON m."orgId" = $1 AND m.id = tm."membershipId"
  JOIN "Team" t ON t."orgId" = $1 AND t.id = tm."teamId"
  WHERE tm."orgId" = $1 AND ($3::text[] IS NULL OR tm."teamId" = ANY($3::text[]))
), e AS (
  SELECT tm.team, d.day, sum(d."finished") AS "finished", sum(d."succeeded") AS "succeeded", sum(d."unassisted") AS "unassisted", sum(d."intervened") AS "intervened", sum(d."interventions") AS "interventions", sum(d."unattended") AS "unattended", sum(d."complexFinished") AS "complexFinished", sum(d."costUsd") AS "costUsd", sum(d."costReported") AS "costReported", sum(d."slaWithin") AS "slaWithin", sum(d."slaBreached") AS "slaBreached", sum(d."slaMissed") AS "slaMissed", sum(d."slaOpen") AS "slaOpen", sum(d."timeToPrMsSum") AS "timeToPrMsSum", sum(d."prsOpened") AS "prsOpened", sum(d."prsMerged") AS "prsMerged", sum(d."mergedSteered") AS "mergedSteered", sum(d."mergedReviewed") AS "mergedReviewed", sum(d."mergedUnreviewed") AS "mergedUnreviewed", sum(d."reviewLatencyMsSum") AS "reviewLatencyMsSum"
  FROM "EvidenceDay" d JOIN tm ON tm.dev = d."developerId" WHERE d."orgId" = $1 AND ($2::date[] IS NULL OR d.day = ANY($2::date[])) GROUP BY 1, 2
), ch AS (
  SELECT tm.team, c.day, array_agg(DISTINCT c.channel ORDER BY c.channel) AS channels
  FROM "ChannelDay" c JOIN tm ON tm.dev = c."developerId" WHERE c."orgId" = $1 AND ($2::date[] IS NULL OR c.day = ANY($2::date[])) GROUP BY 1, 2
), k AS (
  SELECT team, day FROM e UNION SELECT team, day FROM ch
)
INSERT INTO "TeamDay" ("orgId", "teamId", day, "finished", "succeeded", "unassisted", "intervened", "interventions", "unattended", "complexFinished", "costUsd", "costReported", "slaWithin", "slaBreached", "slaMissed", "slaOpen", "timeToPrMsSum", "prsOpened", "prsMerged", "mergedSteered", "mergedReviewed", "mergedUnreviewed", "reviewLatencyMsSum", channels)
SELECT $1, k.team, k.day, coalesce(e."finished", 0), coalesce(e."succeeded", 0), coalesce(e."unassisted", 0), coalesce(e."intervened", 0), coalesce(e."interventions", 0), coalesce(e."unattended", 0), coalesce(e."complexFinished", 0), coalesce(e."costUsd", 0), coalesce(e."costReported", 0), coalesce(e."slaWithin", 0), coalesce(e."slaBreached", 0), coalesce(e."slaMissed", 0), coalesce(e."slaOpen", 0), coalesce(e."timeToPrMsSum", 0), coalesce(e."prsOpened", 0), coalesce(e."prsMerged", 0), coalesce(e."mergedSteered", 0), coalesce(e."mergedReviewed", 0), coalesce(e."mergedUnreviewed", 0), coalesce(e."reviewLatencyMsSum", 0), coalesce(ch.channels, '{}')
FROM k LEFT JOIN e ON e.team = k.team AND e.day = k.day LEFT JOIN ch ON ch.team = k.team AND ch.day = k.day$sql$ USING org, NULL::date[], NULL::text[];
  END LOOP;
  PERFORM set_config('app.org_id', '', true);
END
$backfill$;

ALTER TABLE "Organization" FORCE ROW LEVEL SECURITY;
