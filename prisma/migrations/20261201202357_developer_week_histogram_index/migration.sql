-- DropIndex
DROP INDEX "DeveloperWeek_orgId_week_idx";

-- CreateIndex
CREATE INDEX "DeveloperWeek_orgId_week_developerId_maxConcurrency_daysAtM_idx" ON "DeveloperWeek"("orgId", "week", "developerId", "maxConcurrency", "daysAtMax1", "daysAtMax2", "daysAtMax3", "daysAtMax4", "daysAtMax5Plus");
