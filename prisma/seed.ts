// The demo org: a user to sign in with, an org with two teams, and the org's
// defaults. Idempotent: npm start runs it on every boot.
import { createDatabase } from '@parallax/db';
import { signUp } from '@parallax/auth';
import { createOrganization, createTeam, provisionOrgDefaults } from '@parallax/tenancy';

export const DEMO_EMAIL = 'demo@parallax.dev';
export const DEMO_PASSWORD = 'parallax-demo';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set');
  process.exit(2);
}
const db = createDatabase(url, { maxConnections: 2 });
try {
  const existing = await db.scoped({}, (tx) => tx.user.findUnique({ where: { email: DEMO_EMAIL } }));
  if (existing) {
    console.log(`demo org already seeded (sign in as ${DEMO_EMAIL})`);
  } else {
    const { userId } = await signUp(db, { email: DEMO_EMAIL, password: DEMO_PASSWORD, name: 'Demo Owner' });
    const org = await createOrganization(db, { userId, name: 'Demo Org', slug: 'demo' });
    await provisionOrgDefaults(db, org.id);
    await db.scoped({ orgId: org.id, userId }, async (tx) => {
      await createTeam(tx, { orgId: org.id, actorUserId: userId, name: 'Platform' });
      await createTeam(tx, { orgId: org.id, actorUserId: userId, name: 'Payments' });
    });
    console.log(`seeded the demo org "${org.slug}" (sign in as ${DEMO_EMAIL})`);
  }
} finally {
  await db.disconnect();
}
