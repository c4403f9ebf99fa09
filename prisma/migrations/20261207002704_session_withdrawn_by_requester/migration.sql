-- AlterTable
ALTER TABLE "AgentSession" ADD COLUMN     "withdrawnByRequester" BOOLEAN NOT NULL DEFAULT false;

-- Backfill: a session cancelled while queued by its invocation's actor was withdrawn by the
-- person who asked. Each org as itself, so that RLS admits its rows; only the list of orgs
-- needs FORCE lifted (Organization forces RLS on its owner too, who runs migrations). A session
-- cancelled while queued by anyone else is now owed a PR: the day its invocation arrived is
-- marked as holding a closed SLA window (slaOpenUntil in the past, a row of zeros if there was
-- none), so the next page that reads the org's evidence rewrites that day (refreshClosedWindows).
ALTER TABLE "Organization" NO FORCE ROW LEVEL SECURITY;

DO $backfill$
DECLARE org text;
BEGIN
  FOR org IN SELECT id FROM "Organization" LOOP
    PERFORM set_config('app.org_id', org, true);
    UPDATE "AgentSession" s SET "withdrawnByRequester" = true
    FROM "Invocation" i
    WHERE s."orgId" = org AND i."orgId" = org AND i.id = s."invocationId"
      AND s."cancelledWhileQueued" AND s."cancelledById" IS NOT NULL AND s."cancelledById" = i."actorUserId";
    INSERT INTO "EvidenceDay" ("orgId", "developerId", "repositoryId", day, "slaOpenUntil")
    SELECT DISTINCT org, s."developerId", s."repositoryId", ((i."receivedAt" AT TIME ZONE 'UTC') AT TIME ZONE o."timeZone")::date,
           timestamp '1970-01-01'
    FROM "AgentSession" s
    JOIN "Invocation" i ON i."orgId" = org AND i.id = s."invocationId"
    JOIN "Task" t ON t."orgId" = org AND t.id = s."taskId"
    JOIN "Organization" o ON o.id = org
    WHERE s."orgId" = org AND s."cancelledWhileQueued" AND NOT s."withdrawnByRequester"
      AND s."slaMinutes" IS NOT NULL AND t."taskType" <> 'INVESTIGATION'
    ON CONFLICT ("orgId", "developerId", "repositoryId", day) DO UPDATE SET "slaOpenUntil" = timestamp '1970-01-01';
  END LOOP;
  PERFORM set_config('app.org_id', '', true);
END
$backfill$;

ALTER TABLE "Organization" FORCE ROW LEVEL SECURITY;
