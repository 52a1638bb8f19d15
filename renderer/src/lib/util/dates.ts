// Date-filter fields (<input type="date">, "YYYY-MM-DD") ↔ the API's capture-time bounds. Capture
// times without a zone are stored as local time (Date.parse of "YYYY-MM-DDTHH:MM:SS"), so the
// fields are read as local days too: "from" is the day's first millisecond, "to" its last.

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(value: string): [number, number, number] | null {
  const m = DAY.exec(value);
  return m ? [Number(m[1]), Number(m[2]) - 1, Number(m[3])] : null;
}

export function dayStart(value: string): number | undefined {
  const p = parts(value);
  return p ? new Date(p[0], p[1], p[2]).getTime() : undefined;
}

export function dayEnd(value: string): number | undefined {
  const p = parts(value);
  return p ? new Date(p[0], p[1], p[2] + 1).getTime() - 1 : undefined;
}

/** A capture time as a date field's value (local day). */
export function toDayValue(ms: number | null): string {
  if (ms === null) return '';
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
