import type { Metadata } from 'next';
import { NotBuilt } from '~/components/not-built.tsx';

export const metadata: Metadata = { title: 'Exports' };

export default function ExportsPage() {
  return (
    <NotBuilt
      title="Exports"
      summary="Tamper-evident evidence bundles for auditors."
      willShow={[
        'Evidence exports for a time range: NDJSON/CSV per record type, a manifest with SHA-256 per file, a hash chain and an Ed25519 signature',
        'Progress while an export is built, and the log of every export',
        'How to verify a bundle offline with plx evidence verify',
      ]}
    />
  );
}
