// The demo org: a user to sign in with, an org with two teams, and the org's
// defaults. Idempotent: npm start runs it on every boot.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
const dataDir = path.resolve(process.env.PARALLAX_DATA_DIR ?? '.data');

/** The demo's repository in the org's folder of the built-in local forge (forge/<org id>/): a bare repository with one commit. */
function ensureDemoOrigin(orgId: string): string {
  const origin = path.join(dataDir, 'forge', orgId, 'demo-app.git');
  if (existsSync(path.join(origin, 'HEAD'))) return origin;
  mkdirSync(origin, { recursive: true });
  const git = (args: string[], cwd: string) => execFileSync('git', args, { cwd, stdio: 'pipe' });
  git(['init', '--bare', '--quiet', '--initial-branch=main'], origin);
  const work = mkdtempSync(path.join(os.tmpdir(), 'parallax-seed-'));
  try {
    git(['init', '--quiet', '--initial-branch=main'], work);
    writeFileSync(path.join(work, 'README.md'), '# demo-app\n\nA small repository for trying Parallax agents.\n');
    writeFileSync(
      path.join(work, 'check.sh'),
      '#!/bin/sh\n# The demo test command: every text file ends with a newline.\nfor f in $(git ls-files "*.md" "*.txt"); do [ -z "$(tail -c1 "$f")" ] || { echo "$f: no final newline"; exit 1; }; done\necho "checks passed"\n',
    );
    git(['add', '.'], work);
    git(['-c', 'user.name=Parallax', '-c', 'user.email=seed@parallax.invalid', 'commit', '--quiet', '-m', 'Initial commit'], work);
    git(['push', '--quiet', origin, 'main'], work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return origin;
}

const db = createDatabase(url, { maxConnections: 2 });
try {
  const existing = await db.scoped({}, (tx) => tx.user.findUnique({ where: { email: DEMO_EMAIL } }));
  if (existing) {
    await moveLegacyDemoOrigin(existing.id);
    console.log(`demo org already seeded (sign in as ${DEMO_EMAIL})`);
  } else {
    const { userId } = await signUp(db, { email: DEMO_EMAIL, password: DEMO_PASSWORD, name: 'Demo Owner' });
    const org = await createOrganization(db, { userId, name: 'Demo Org', slug: 'demo' });
    const origin = ensureDemoOrigin(org.id);
    await provisionOrgDefaults(db, org.id);
    await db.scoped({ orgId: org.id, userId }, async (tx) => {
      await createTeam(tx, { orgId: org.id, actorUserId: userId, name: 'Platform' });
      await createTeam(tx, { orgId: org.id, actorUserId: userId, name: 'Payments' });
      await tx.repository.create({
        data: { orgId: org.id, name: 'demo-app', forge: 'LOCAL', localPath: origin, defaultBranch: 'main', testCommand: 'sh check.sh' },
      });
    });
    console.log(`seeded the demo org "${org.slug}" (sign in as ${DEMO_EMAIL})`);
  }
} finally {
  await db.disconnect();
}

/** Data folders seeded before forges were per org kept the demo at forge/demo-app.git: move it into the org's folder. */
async function moveLegacyDemoOrigin(userId: string) {
  const legacy = path.join(dataDir, 'forge', 'demo-app.git');
  if (!existsSync(path.join(legacy, 'HEAD'))) return;
  const org = await db.scoped({ userId }, (tx) => tx.organization.findUnique({ where: { slug: 'demo' }, select: { id: true } }));
  if (!org) return;
  await db.forOrg(org.id, async (tx) => {
    const repo = await tx.repository.findFirst({ where: { orgId: org.id, localPath: legacy } });
    if (!repo) return;
    const origin = path.join(dataDir, 'forge', org.id, 'demo-app.git');
    mkdirSync(path.dirname(origin), { recursive: true });
    renameSync(legacy, origin);
    await tx.repository.update({ where: { id: repo.id }, data: { localPath: origin } });
  });
}
