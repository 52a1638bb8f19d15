// How numbers, dates and durations read in the interface.
import { formatBytes } from '../../../../electron/common/format-bytes.js';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const count = new Intl.NumberFormat();

export function formatDateTime(ms: number | null): string {
  return ms === null ? 'Unknown' : dateTime.format(ms);
}

export function formatDate(ms: number | null): string {
  return ms === null ? 'Unknown' : dateOnly.format(ms);
}

export function formatCount(n: number): string {
  return count.format(n);
}

/** "12 photos" / "1 photo". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** "about 5 s", "about 3 min", "about 1 h 20 min". */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'estimating…';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `about ${s} s left`;
  const m = Math.round(s / 60);
  if (m < 60) return `about ${m} min left`;
  return `about ${Math.floor(m / 60)} h ${m % 60} min left`;
}

export function formatRate(perSecond: number | null): string {
  if (perSecond === null || !Number.isFinite(perSecond)) return '—';
  return `${perSecond < 10 ? perSecond.toFixed(1) : Math.round(perSecond)} photos/s`;
}

export { formatBytes } from '../../../../electron/common/format-bytes.js';

/** "4.2 MB/s" (a download's speed). */
export function formatByteRate(bytesPerSecond: number | null): string {
  if (bytesPerSecond === null || !Number.isFinite(bytesPerSecond)) return '—';
  return `${formatBytes(Math.max(0, Math.round(bytesPerSecond)))}/s`;
}

/** "42 %": how far `done` is of `total`. */
export function formatPercent(done: number, total: number): string {
  return `${total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0} %`;
}

/** 51.5074° N, 0.1278° W */
export function formatCoordinates(lat: number, lon: number): string {
  const f = (v: number, pos: string, neg: string) => `${Math.abs(v).toFixed(4)}° ${v >= 0 ? pos : neg}`;
  return `${f(lat, 'N', 'S')}, ${f(lon, 'E', 'W')}`;
}

/** The last parts of a path, for a line that must stay short. */
export function shortPath(p: string, parts = 3): string {
  const segments = p.split(/[/\\]/).filter(Boolean);
  return segments.length <= parts ? p : `…/${segments.slice(-parts).join('/')}`;
}

export function fileName(p: string): string {
  return p.split(/[/\\]/).pop() ?? p;
}
