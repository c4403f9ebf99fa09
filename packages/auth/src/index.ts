export { hashPassword, verifyPassword } from './password.ts';
export { consumeRateLimit, SIGN_UP_PER_IP, type RateLimit } from './rate-limit.ts';
export {
  backoffDelayMs,
  SIGN_IN_PER_ADDRESS,
  SIGN_IN_PER_EMAIL,
  SIGN_IN_PER_PAIR,
  type BackoffPolicy,
} from './sign-in-backoff.ts';
export { ZEmail, ZPassword, ZSignUpInput, type TSignUpInput } from './schemas.ts';
export { signUp } from './sign-up.ts';
export { verifyCredentials, type SignedInUser } from './verify-credentials.ts';
export { linkGitHubUser, type GitHubProfile } from './link-github-user.ts';
export {
  API_TOKEN_SCOPES,
  ZApiTokenScope,
  createApiToken,
  listApiTokens,
  revokeApiToken,
  authenticateApiToken,
  type ApiTokenIdentity,
} from './api-tokens.ts';
export {
  BROWSER_SESSION_MAX_AGE_SECONDS,
  startBrowserSession,
  resolveBrowserSession,
  endBrowserSessionBySecret,
  listBrowserSessions,
  endBrowserSession,
  endOtherBrowserSessions,
  type ActiveBrowserSession,
  type BrowserSessionClient,
} from './browser-sessions.ts';
export { changePassword, ZChangePasswordInput, type TChangePasswordInput } from './change-password.ts';
