-- AlterTable
ALTER TABLE "AgentSession" ADD COLUMN     "agentCostUsd" DOUBLE PRECISION;
