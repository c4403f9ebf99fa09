// Dates as people read them, in the browser's locale and time zone. Only call these
// from client-rendered data (never in server-rendered markup: the server's time zone differs).
export function formatDate(date: Date | null | undefined): string {
  return date ? date.toLocaleDateString(undefined, { dateStyle: 'medium' }) : '—';
}

export function formatDateTime(date: Date | null | undefined): string {
  return date ? date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—';
}

/** "in 6 days", "3 hours ago". */
export function formatRelative(date: Date, now = new Date()): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(seconds, 'second');
}
