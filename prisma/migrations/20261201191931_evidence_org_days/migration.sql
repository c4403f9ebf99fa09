-- CreateTable
CREATE TABLE "EvidenceOrgDay" (
    "orgId" TEXT NOT NULL,
    "repositoryId" TEXT NOT NULL,
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

    CONSTRAINT "EvidenceOrgDay_pkey" PRIMARY KEY ("orgId","day","repositoryId")
);

-- CreateTable
CREATE TABLE "ChannelOrgDay" (
    "orgId" TEXT NOT NULL,
    "repositoryId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "channel" "Channel" NOT NULL,
    "invocations" INTEGER NOT NULL,

    CONSTRAINT "ChannelOrgDay_pkey" PRIMARY KEY ("orgId","day","repositoryId","channel")
);

-- AddForeignKey
ALTER TABLE "EvidenceOrgDay" ADD CONSTRAINT "EvidenceOrgDay_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChannelOrgDay" ADD CONSTRAINT "ChannelOrgDay_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill. The tables summed from the daily rollups are filled from them here, so that an
-- existing install needs no rebuild: the org days, and the weeks again from them (EvidenceWeek,
-- ChannelWeek) and from the daily rows (DeveloperWeek), which an install that took the weekly
-- rollups' migration without a rebuild lacks for its history. The daily tables force RLS on
-- their owner too, who runs migrations: lifted while they are read, then forced again.
ALTER TABLE "EvidenceDay" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "ChannelDay" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "ConcurrencyDay" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "EvidenceWeek" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "ChannelWeek" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "DeveloperWeek" NO FORCE ROW LEVEL SECURITY;

INSERT INTO "EvidenceOrgDay" ("orgId", "repositoryId", day, "finished", "succeeded", "unassisted", "intervened", "interventions", "unattended", "complexFinished", "costUsd", "costReported", "slaWithin", "slaBreached", "slaMissed", "slaOpen", "timeToPrMsSum", "prsOpened", "prsMerged", "mergedSteered", "mergedReviewed", "mergedUnreviewed", "reviewLatencyMsSum")
SELECT "orgId", "repositoryId", day, sum("finished"), sum("succeeded"), sum("unassisted"), sum("intervened"), sum("interventions"), sum("unattended"), sum("complexFinished"), sum("costUsd"), sum("costReported"), sum("slaWithin"), sum("slaBreached"), sum("slaMissed"), sum("slaOpen"), sum("timeToPrMsSum"), sum("prsOpened"), sum("prsMerged"), sum("mergedSteered"), sum("mergedReviewed"), sum("mergedUnreviewed"), sum("reviewLatencyMsSum") FROM "EvidenceDay" GROUP BY 1, 2, 3;

INSERT INTO "ChannelOrgDay" ("orgId", "repositoryId", day, channel, invocations)
SELECT "orgId", "repositoryId", day, channel, sum(invocations) FROM "ChannelDay" GROUP BY 1, 2, 3, 4;

DELETE FROM "EvidenceWeek";
INSERT INTO "EvidenceWeek" ("orgId", "repositoryId", week, "finished", "succeeded", "unassisted", "intervened", "interventions", "unattended", "complexFinished", "costUsd", "costReported", "slaWithin", "slaBreached", "slaMissed", "slaOpen", "timeToPrMsSum", "prsOpened", "prsMerged", "mergedSteered", "mergedReviewed", "mergedUnreviewed", "reviewLatencyMsSum")
SELECT "orgId", "repositoryId", date_trunc('week', day::timestamp)::date, sum("finished"), sum("succeeded"), sum("unassisted"), sum("intervened"), sum("interventions"), sum("unattended"), sum("complexFinished"), sum("costUsd"), sum("costReported"), sum("slaWithin"), sum("slaBreached"), sum("slaMissed"), sum("slaOpen"), sum("timeToPrMsSum"), sum("prsOpened"), sum("prsMerged"), sum("mergedSteered"), sum("mergedReviewed"), sum("mergedUnreviewed"), sum("reviewLatencyMsSum") FROM "EvidenceOrgDay" GROUP BY 1, 2, 3;

DELETE FROM "ChannelWeek";
INSERT INTO "ChannelWeek" ("orgId", "repositoryId", week, channel, invocations)
SELECT "orgId", "repositoryId", date_trunc('week', day::timestamp)::date, channel, sum(invocations) FROM "ChannelOrgDay" GROUP BY 1, 2, 3, 4;

DELETE FROM "DeveloperWeek";
WITH e AS (
  SELECT "orgId" AS org, "developerId" AS dev, date_trunc('week', day::timestamp)::date AS week, sum("finished") AS "finished", sum("succeeded") AS "succeeded", sum("unassisted") AS "unassisted", sum("intervened") AS "intervened", sum("interventions") AS "interventions", sum("unattended") AS "unattended", sum("complexFinished") AS "complexFinished", sum("costUsd") AS "costUsd", sum("costReported") AS "costReported", sum("slaWithin") AS "slaWithin", sum("slaBreached") AS "slaBreached", sum("slaMissed") AS "slaMissed", sum("slaOpen") AS "slaOpen", sum("timeToPrMsSum") AS "timeToPrMsSum", sum("prsOpened") AS "prsOpened", sum("prsMerged") AS "prsMerged", sum("mergedSteered") AS "mergedSteered", sum("mergedReviewed") AS "mergedReviewed", sum("mergedUnreviewed") AS "mergedUnreviewed", sum("reviewLatencyMsSum") AS "reviewLatencyMsSum"
  FROM "EvidenceDay" GROUP BY 1, 2, 3
), c AS (
  SELECT "orgId" AS org, "developerId" AS dev, date_trunc('week', day::timestamp)::date AS week, max("maxConcurrency") AS max_c, sum("activeMs") AS active_ms,
         sum("areaMs") AS area_ms, count(*) FILTER (WHERE "maxConcurrency" = 1) AS d1, count(*) FILTER (WHERE "maxConcurrency" = 2) AS d2,
         count(*) FILTER (WHERE "maxConcurrency" = 3) AS d3, count(*) FILTER (WHERE "maxConcurrency" = 4) AS d4,
         count(*) FILTER (WHERE "maxConcurrency" >= 5) AS d5
  FROM "ConcurrencyDay" GROUP BY 1, 2, 3
), ch AS (
  SELECT "orgId" AS org, "developerId" AS dev, date_trunc('week', day::timestamp)::date AS week, array_agg(DISTINCT channel ORDER BY channel) AS channels
  FROM "ChannelDay" GROUP BY 1, 2, 3
), k AS (
  SELECT org, dev, week FROM e UNION SELECT org, dev, week FROM c UNION SELECT org, dev, week FROM ch
)
INSERT INTO "DeveloperWeek" ("orgId", "developerId", week, "finished", "succeeded", "unassisted", "intervened", "interventions", "unattended", "complexFinished", "costUsd", "costReported", "slaWithin", "slaBreached", "slaMissed", "slaOpen", "timeToPrMsSum", "prsOpened", "prsMerged", "mergedSteered", "mergedReviewed", "mergedUnreviewed", "reviewLatencyMsSum",
  "maxConcurrency", "activeMs", "areaMs", "daysAtMax1", "daysAtMax2", "daysAtMax3", "daysAtMax4", "daysAtMax5Plus", channels)
SELECT k.org, k.dev, k.week, coalesce(e."finished", 0), coalesce(e."succeeded", 0), coalesce(e."unassisted", 0), coalesce(e."intervened", 0), coalesce(e."interventions", 0), coalesce(e."unattended", 0), coalesce(e."complexFinished", 0), coalesce(e."costUsd", 0), coalesce(e."costReported", 0), coalesce(e."slaWithin", 0), coalesce(e."slaBreached", 0), coalesce(e."slaMissed", 0), coalesce(e."slaOpen", 0), coalesce(e."timeToPrMsSum", 0), coalesce(e."prsOpened", 0), coalesce(e."prsMerged", 0), coalesce(e."mergedSteered", 0), coalesce(e."mergedReviewed", 0), coalesce(e."mergedUnreviewed", 0), coalesce(e."reviewLatencyMsSum", 0),
       coalesce(c.max_c, 0), coalesce(c.active_ms, 0), coalesce(c.area_ms, 0),
       coalesce(c.d1, 0), coalesce(c.d2, 0), coalesce(c.d3, 0), coalesce(c.d4, 0), coalesce(c.d5, 0), coalesce(ch.channels, '{}')
FROM k LEFT JOIN e ON e.org = k.org AND e.dev = k.dev AND e.week = k.week
LEFT JOIN c ON c.org = k.org AND c.dev = k.dev AND c.week = k.week
LEFT JOIN ch ON ch.org = k.org AND ch.dev = k.dev AND ch.week = k.week;

ALTER TABLE "EvidenceDay" FORCE ROW LEVEL SECURITY;
ALTER TABLE "ChannelDay" FORCE ROW LEVEL SECURITY;
ALTER TABLE "ConcurrencyDay" FORCE ROW LEVEL SECURITY;
ALTER TABLE "EvidenceWeek" FORCE ROW LEVEL SECURITY;
ALTER TABLE "ChannelWeek" FORCE ROW LEVEL SECURITY;
ALTER TABLE "DeveloperWeek" FORCE ROW LEVEL SECURITY;

-- Row-Level Security: the org-day rollups are tenant rows like the daily ones.
ALTER TABLE "EvidenceOrgDay" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "EvidenceOrgDay" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "EvidenceOrgDay" USING ("orgId" = current_setting('app.org_id', true)) WITH CHECK ("orgId" = current_setting('app.org_id', true));

ALTER TABLE "ChannelOrgDay" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ChannelOrgDay" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ChannelOrgDay" USING ("orgId" = current_setting('app.org_id', true)) WITH CHECK ("orgId" = current_setting('app.org_id', true));
