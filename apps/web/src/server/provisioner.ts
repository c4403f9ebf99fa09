// Org provisioning goes through Temporal. The connection is opened on first use, not
// at boot, so the web app serves pages while Temporal is still starting (or is down);
// a failed connection is retried on the next call. When connecting takes too long the
// call fails fast: the api then provisions the same defaults inline, so creating an
// org never waits on the client's own (much longer) connect deadline.
type Provisioner = { provisionOrg(orgId: string): Promise<void> };

const CONNECT_WAIT_MS = 3_000;

const globalForTemporal = globalThis as unknown as { parallaxProvisioner?: Promise<Provisioner> };

async function connectProvisioner(): Promise<Provisioner> {
  const { connectTemporal, createProvisioner } = await import('@parallax/temporal/client');
  return createProvisioner(await connectTemporal());
}

function connected(): Promise<Provisioner> {
  if (!globalForTemporal.parallaxProvisioner) {
    const attempt = connectProvisioner();
    globalForTemporal.parallaxProvisioner = attempt;
    attempt.catch(() => {
      if (globalForTemporal.parallaxProvisioner === attempt) globalForTemporal.parallaxProvisioner = undefined;
    });
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Temporal did not answer within ${CONNECT_WAIT_MS / 1000} s`)), CONNECT_WAIT_MS);
  });
  return Promise.race([globalForTemporal.parallaxProvisioner, timeout]).finally(() => clearTimeout(timer));
}

export const provisioner: Provisioner = {
  async provisionOrg(orgId) {
    await (await connected()).provisionOrg(orgId);
  },
};
