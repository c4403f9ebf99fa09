// An optimistic check before rendering: a request without a session cookie for a
// page that needs one goes to the sign-in page, remembering where it was headed.
// The pages themselves still check the session on the server.
import { getToken } from 'next-auth/jwt';
import { type NextRequest, NextResponse } from 'next/server';

export async function proxy(request: NextRequest) {
  const token = await getToken({ req: request, secret: process.env.NEXTAUTH_SECRET });
  if (token) return NextResponse.next();
  const signIn = new URL('/signin', request.url);
  if (request.nextUrl.pathname !== '/') signIn.searchParams.set('callbackUrl', request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.redirect(signIn);
}

export const config = {
  // Everything except the public pages, the APIs (they answer 401 themselves) and static files.
  matcher: ['/((?!signin|signup|invite/|api/|_next/|.*\\.(?:ico|svg|png|txt)$).*)'],
};
