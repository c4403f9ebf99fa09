-- AlterTable
ALTER TABLE "AgentSession" ADD COLUMN     "withdrawnByRequester" BOOLEAN NOT NULL DEFAULT false;

-- Backfill: a session cancelled while queued by its invocation's actor was withdrawn by the
-- person who asked. Each org as itself, so that RLS admits its rows; only the list of orgs
-- needs FORCE lifted (Organization forces RLS on its owner too, who runs migrations). The
-- rollups of days holding a session cancelled while queued by someone else count it as owed a
-- PR from the next rewrite of those days (npm run evidence:rebuild rewrites them all at once).
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
  END LOOP;
  PERFORM set_config('app.org_id', '', true);
END
$backfill$;

ALTER TABLE "Organization" FORCE ROW LEVEL SECURITY;
