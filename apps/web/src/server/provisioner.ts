// Org provisioning goes through Temporal. The connection is opened on first use,
// not at boot, so the web app serves pages while Temporal is still starting (or
// is down); a failed connection is retried on the next call. The api logs a
// provisioner that throws and still creates the org.
type Provisioner = { provisionOrg(orgId: string): Promise<void> };

const globalForTemporal = globalThis as unknown as { parallaxProvisioner?: Promise<Provisioner> };

async function connectProvisioner(): Promise<Provisioner> {
  const { connectTemporal, createProvisioner } = await import('@parallax/temporal/client');
  return createProvisioner(await connectTemporal());
}

export const provisioner: Provisioner = {
  async provisionOrg(orgId) {
    globalForTemporal.parallaxProvisioner ??= connectProvisioner();
    let connected: Provisioner;
    try {
      connected = await globalForTemporal.parallaxProvisioner;
    } catch (error) {
      globalForTemporal.parallaxProvisioner = undefined;
      throw error;
    }
    await connected.provisionOrg(orgId);
  },
};
