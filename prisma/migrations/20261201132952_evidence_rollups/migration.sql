-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "demo" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "EvidenceDay" (
    "orgId" TEXT NOT NULL,
    "developerId" TEXT NOT NULL,
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
    "slaOpenUntil" TIMESTAMP(3),
    "timeToPrMsSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "prsOpened" INTEGER NOT NULL DEFAULT 0,
    "prsMerged" INTEGER NOT NULL DEFAULT 0,
    "mergedSteered" INTEGER NOT NULL DEFAULT 0,
    "mergedReviewed" INTEGER NOT NULL DEFAULT 0,
    "mergedUnreviewed" INTEGER NOT NULL DEFAULT 0,
    "reviewLatencyMsSum" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "EvidenceDay_pkey" PRIMARY KEY ("orgId","developerId","repositoryId","day")
);

-- CreateTable
CREATE TABLE "ConcurrencyDay" (
    "orgId" TEXT NOT NULL,
    "developerId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "maxConcurrency" INTEGER NOT NULL,
    "activeMs" DOUBLE PRECISION NOT NULL,
    "areaMs" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "ConcurrencyDay_pkey" PRIMARY KEY ("orgId","developerId","day")
);

-- CreateTable
CREATE TABLE "ChannelDay" (
    "orgId" TEXT NOT NULL,
    "developerId" TEXT NOT NULL,
    "repositoryId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "channel" "Channel" NOT NULL,
    "invocations" INTEGER NOT NULL,

    CONSTRAINT "ChannelDay_pkey" PRIMARY KEY ("orgId","developerId","repositoryId","day","channel")
);

-- CreateIndex
CREATE INDEX "AgentSession_invocationId_idx" ON "AgentSession"("invocationId");

-- CreateIndex
CREATE INDEX "EvidenceDay_orgId_day_idx" ON "EvidenceDay"("orgId", "day");

-- CreateIndex
CREATE INDEX "EvidenceDay_orgId_slaOpenUntil_idx" ON "EvidenceDay"("orgId", "slaOpenUntil");

-- CreateIndex
CREATE INDEX "ConcurrencyDay_orgId_day_idx" ON "ConcurrencyDay"("orgId", "day");

-- CreateIndex
CREATE INDEX "ChannelDay_orgId_day_idx" ON "ChannelDay"("orgId", "day");

-- AddForeignKey
ALTER TABLE "EvidenceDay" ADD CONSTRAINT "EvidenceDay_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConcurrencyDay" ADD CONSTRAINT "ConcurrencyDay_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChannelDay" ADD CONSTRAINT "ChannelDay_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-Level Security: the rollups are tenant rows like the ones they summarise.
ALTER TABLE "EvidenceDay" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "EvidenceDay" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "EvidenceDay" USING ("orgId" = current_setting('app.org_id', true)) WITH CHECK ("orgId" = current_setting('app.org_id', true));

ALTER TABLE "ConcurrencyDay" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ConcurrencyDay" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ConcurrencyDay" USING ("orgId" = current_setting('app.org_id', true)) WITH CHECK ("orgId" = current_setting('app.org_id', true));

ALTER TABLE "ChannelDay" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ChannelDay" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ChannelDay" USING ("orgId" = current_setting('app.org_id', true)) WITH CHECK ("orgId" = current_setting('app.org_id', true));
