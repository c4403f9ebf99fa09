/** Where to go after signing in: only a path on this site, never another origin. */
export function safeCallbackUrl(value: string | string[] | undefined, fallback = '/'): string {
  const url = Array.isArray(value) ? value[0] : value;
  if (!url?.startsWith('/') || url.startsWith('//') || url.startsWith('/\\')) return fallback;
  return url;
}
