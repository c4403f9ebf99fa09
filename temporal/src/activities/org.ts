import { provisionOrgDefaults } from '@parallax/tenancy';
import { log } from '@temporalio/activity';
import type { ActivityDeps } from './index.ts';

export function createOrgActivities({ db }: ActivityDeps) {
  return {
    /** Idempotent (see @parallax/tenancy), so Temporal may retry it freely. */
    async provisionOrgDefaults(orgId: string): Promise<{ created: string[] }> {
      const result = await provisionOrgDefaults(db, orgId);
      log.info('org defaults provisioned', { orgId, created: result.created });
      return result;
    },
  };
}
