-- CreateIndex
CREATE INDEX "AgentSession_orgId_developerId_endedAt_idx" ON "AgentSession"("orgId", "developerId", "endedAt");
