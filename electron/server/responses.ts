// Response helpers shared by the server's routes: the security headers every response carries,
// the Content-Security-Policy of the UI, JSON envelopes and API error status codes.
import type { ServerResponse } from 'node:http';
import type { ApiEnvelope, ApiErrorCode, WireErrorCode } from '../common/api-envelope.js';

/**
 * The UI's Content-Security-Policy: everything from this server only. No inline scripts or
 * styles (Svelte's build puts its CSS in a file, and element styles set from script are not
 * affected), images also from data:/blob: URLs, and the job-event WebSocket on the page's own
 * host. `host` is the request's Host header (name:port), already checked by the access policy.
 */
export function contentSecurityPolicy(host: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ws://${host}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers on every response: no MIME sniffing, no referrer, not framed, not embeddable by other origins. */
export function setCommonHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

export const STATUS_OF: Readonly<Record<ApiErrorCode, number>> = {
  'bad-input': 400,
  'not-found': 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, code: WireErrorCode, message: string, extra: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(extra)) res.setHeader(k, v);
  sendJson(res, status, { ok: false, error: { code, message } } satisfies ApiEnvelope<never>);
}

/** A short plain-text answer (media and static routes, where JSON would be odd). */
export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}
