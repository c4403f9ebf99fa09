-- AlterTable
ALTER TABLE "Repository" ADD COLUMN     "githubInstallationId" INTEGER;

-- AlterTable
ALTER TABLE "AgentSession" ADD COLUMN     "agentSessionRef" TEXT,
ADD COLUMN     "cancelledById" TEXT;

-- AlterTable
ALTER TABLE "PullRequest" ADD COLUMN     "headSha" TEXT,
ADD COLUMN     "lastSyncedAt" TIMESTAMP(3),
ADD COLUMN     "mergeSha" TEXT;

-- CreateTable
CREATE TABLE "PortLease" (
    "rangeStart" INTEGER NOT NULL,
    "rangeEnd" INTEGER NOT NULL,
    "sessionId" TEXT NOT NULL,
    "leasedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PortLease_pkey" PRIMARY KEY ("rangeStart")
);

-- CreateIndex
CREATE UNIQUE INDEX "PortLease_sessionId_key" ON "PortLease"("sessionId");

-- PortLease is machine-wide (no orgId): parallax_app gets its rights from the default
-- privileges the first migration set, and no RLS applies to it by design.
