-- AlterTable
ALTER TABLE "AgentSession" ADD COLUMN     "retryOfId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "AgentSession_retryOfId_key" ON "AgentSession"("retryOfId");

-- AddForeignKey
ALTER TABLE "AgentSession" ADD CONSTRAINT "AgentSession_retryOfId_fkey" FOREIGN KEY ("retryOfId") REFERENCES "AgentSession"("id") ON DELETE SET NULL ON UPDATE CASCADE;
