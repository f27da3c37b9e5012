/** True for an IANA time zone name the runtime knows (Europe/Berlin, America/New_York, UTC). */
export function isTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz.length > 0;
  } catch {
    return false;
  }
}
