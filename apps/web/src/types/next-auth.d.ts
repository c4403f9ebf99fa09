import type { DefaultSession } from 'next-auth';

declare module 'next-auth' {
  interface Session {
    user?: DefaultSession['user'] & { id: string };
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    userId?: string;
    /** The secret of the Session row behind this cookie (@parallax/auth browser-sessions.ts). */
    sid?: string;
  }
}
