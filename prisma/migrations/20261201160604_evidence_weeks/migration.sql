-- CreateTable
CREATE TABLE "EvidenceWeek" (
    "orgId" TEXT NOT NULL,
    "repositoryId" TEXT NOT NULL,
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

    CONSTRAINT "EvidenceWeek_pkey" PRIMARY KEY ("orgId","week","repositoryId")
);

-- CreateTable
CREATE TABLE "ChannelWeek" (
    "orgId" TEXT NOT NULL,
    "repositoryId" TEXT NOT NULL,
    "week" DATE NOT NULL,
    "channel" "Channel" NOT NULL,
    "invocations" INTEGER NOT NULL,

    CONSTRAINT "ChannelWeek_pkey" PRIMARY KEY ("orgId","week","repositoryId","channel")
);

-- CreateTable
CREATE TABLE "DeveloperWeek" (
    "orgId" TEXT NOT NULL,
    "developerId" TEXT NOT NULL,
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
    "maxConcurrency" INTEGER NOT NULL DEFAULT 0,
    "activeMs" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "areaMs" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "daysAtMax1" INTEGER NOT NULL DEFAULT 0,
    "daysAtMax2" INTEGER NOT NULL DEFAULT 0,
    "daysAtMax3" INTEGER NOT NULL DEFAULT 0,
    "daysAtMax4" INTEGER NOT NULL DEFAULT 0,
    "daysAtMax5Plus" INTEGER NOT NULL DEFAULT 0,
    "channels" "Channel"[] DEFAULT ARRAY[]::"Channel"[],

    CONSTRAINT "DeveloperWeek_pkey" PRIMARY KEY ("orgId","developerId","week")
);

-- CreateIndex
CREATE INDEX "DeveloperWeek_orgId_week_idx" ON "DeveloperWeek"("orgId", "week");

-- AddForeignKey
ALTER TABLE "EvidenceWeek" ADD CONSTRAINT "EvidenceWeek_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChannelWeek" ADD CONSTRAINT "ChannelWeek_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeveloperWeek" ADD CONSTRAINT "DeveloperWeek_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateIndex
CREATE INDEX "AgentSession_orgId_endedAt_idx" ON "AgentSession"("orgId", "endedAt");

-- Row-Level Security: the weekly rollups are tenant rows like the daily ones.
ALTER TABLE "EvidenceWeek" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "EvidenceWeek" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "EvidenceWeek" USING ("orgId" = current_setting('app.org_id', true)) WITH CHECK ("orgId" = current_setting('app.org_id', true));

ALTER TABLE "ChannelWeek" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ChannelWeek" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ChannelWeek" USING ("orgId" = current_setting('app.org_id', true)) WITH CHECK ("orgId" = current_setting('app.org_id', true));

ALTER TABLE "DeveloperWeek" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "DeveloperWeek" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "DeveloperWeek" USING ("orgId" = current_setting('app.org_id', true)) WITH CHECK ("orgId" = current_setting('app.org_id', true));
