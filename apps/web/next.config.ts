import type { NextConfig } from 'next';

const config: NextConfig = {
  // Workspace packages are shipped as TypeScript sources and compiled by Next.
  transpilePackages: ['@parallax/api', '@parallax/auth', '@parallax/db', '@parallax/evidence', '@parallax/metrics', '@parallax/tenancy', '@parallax/temporal'],
  // Native, WebAssembly or worker-thread code that must be loaded by Node, not bundled.
  serverExternalPackages: [
    '@prisma/client',
    '@prisma/adapter-pg',
    '@prisma/driver-adapter-utils',
    'pg',
    '@electric-sql/pglite',
    '@electric-sql/pglite-socket',
    '@temporalio/client',
    '@temporalio/worker',
    '@temporalio/activity',
    '@temporalio/workflow',
    '@temporalio/common',
    '@temporalio/proto',
  ],
  poweredByHeader: false,
  // Static files bypass proxy.ts, which sets these (and the CSP) on everything else.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
        ],
      },
    ];
  },
  // The account menu sits bottom left; keep the dev-mode indicator out of its way.
  devIndicators: { position: 'bottom-right' },
};

export default config;
