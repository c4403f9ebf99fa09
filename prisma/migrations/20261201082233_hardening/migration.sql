-- CreateEnum
CREATE TYPE "SecretKind" AS ENUM ('AGENT_ENV', 'GITHUB_WEBHOOK', 'SLACK_SIGNING', 'PAGERDUTY_WEBHOOK');

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "ipAddress" TEXT,
ADD COLUMN     "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "userAgent" TEXT;

-- AlterTable
ALTER TABLE "RateLimitBucket" ADD COLUMN     "blockedUntil" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Repository" ADD COLUMN     "setupCommand" TEXT,
ADD COLUMN     "teardownCommand" TEXT,
ADD COLUMN     "templateSchema" TEXT;

-- AlterTable
ALTER TABLE "AgentProfile" ADD COLUMN     "allowedHosts" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "secretNames" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "AgentSession" ADD COLUMN     "sandboxMode" TEXT;

-- CreateTable
CREATE TABLE "OrgSecret" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "kind" "SecretKind" NOT NULL,
    "name" TEXT NOT NULL,
    "sealed" TEXT NOT NULL,
    "hint" TEXT NOT NULL,
    "previousSealed" TEXT,
    "previousExpiresAt" TIMESTAMP(3),
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rotatedAt" TIMESTAMP(3),

    CONSTRAINT "OrgSecret_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "provider" "IntegrationKind" NOT NULL,
    "deliveryId" TEXT,
    "event" TEXT,
    "accepted" BOOLEAN NOT NULL,
    "reason" TEXT,
    "sourceAddress" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "OrgSecret_orgId_kind_name_key" ON "OrgSecret"("orgId", "kind", "name");

-- CreateIndex
CREATE INDEX "WebhookDelivery_orgId_receivedAt_idx" ON "WebhookDelivery"("orgId", "receivedAt");

-- AddForeignKey
ALTER TABLE "OrgSecret" ADD CONSTRAINT "OrgSecret_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-Level Security on the new tenant tables (as in the init migration).
ALTER TABLE "OrgSecret" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "OrgSecret" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "OrgSecret" USING ("orgId" = current_setting('app.org_id', true)) WITH CHECK ("orgId" = current_setting('app.org_id', true));

ALTER TABLE "WebhookDelivery" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "WebhookDelivery" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "WebhookDelivery" USING ("orgId" = current_setting('app.org_id', true)) WITH CHECK ("orgId" = current_setting('app.org_id', true));
