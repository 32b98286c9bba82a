// Times as the hall reads them. The backend stores some times in RFC 3339, UTC, with
// nanoseconds (the hub call log); the hall keeps Beijing time (UTC+8, no daylight saving)
// whatever the machine's time zone.

const HALL_OFFSET_MS = 8 * 3600 * 1000;
const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/**
 * `2026-12-07T18:35:47.328523050+00:00` → `2026-12-08 02:35:47` (hall time, to the second).
 * A time without an offset (already hall time, `YYYY-MM-DD HH:MM:SS`) is returned as it is;
 * null or empty gives "".
 */
export function hallTime(value: string | null | undefined): string {
  if (!value) return "";
  const m = RFC3339.exec(value.trim());
  if (!m) return value;
  const [, date, time, , zone] = m;
  const ms = Date.parse(`${date}T${time}${zone!.toUpperCase()}`);
  if (Number.isNaN(ms)) return value;
  const d = new Date(ms + HALL_OFFSET_MS);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}
