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

-- Row-Level Security: the org-day rollups are tenant rows like the daily ones.
ALTER TABLE "EvidenceOrgDay" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "EvidenceOrgDay" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "EvidenceOrgDay" USING ("orgId" = current_setting('app.org_id', true)) WITH CHECK ("orgId" = current_setting('app.org_id', true));

ALTER TABLE "ChannelOrgDay" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ChannelOrgDay" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ChannelOrgDay" USING ("orgId" = current_setting('app.org_id', true)) WITH CHECK ("orgId" = current_setting('app.org_id', true));
