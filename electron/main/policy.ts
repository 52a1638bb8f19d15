// Pure security decisions of the desktop shell, kept free of 'electron' so that unit tests can
// check them directly: which URL is Shoebox's own page, which sender may call the API, what a
// navigation or window.open may do, and the page's Content-Security-Policy.

/** The renderer is served from app://shoebox/ (a privileged standard scheme, so 'self' works). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'shoebox';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
export const MEDIA_SCHEME = 'shoebox-media';

/**
 * No inline or remote script, no network: scripts and styles from the app origin, images also
 * from shoebox-media: (photos) and data:/blob: (small assets the bundler inlines, object URLs).
 * 'unsafe-inline' for styles only: Svelte writes style attributes and transition keyframes.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  `img-src 'self' ${MEDIA_SCHEME}: data: blob:`,
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function parse(url: string | null | undefined): URL | null {
  if (typeof url !== 'string' || url.length === 0) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for a URL of Shoebox's own page (app://shoebox/…), nothing else. */
export function isAppUrl(url: string | null | undefined): boolean {
  const u = parse(url);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
}

/**
 * May this frame call the API? Only a frame showing our own page: a frame that navigated
 * elsewhere, an embedded frame of another origin, or a destroyed frame (url unknown) may not.
 */
export function isTrustedSender(frameUrl: string | null | undefined): boolean {
  return isAppUrl(frameUrl);
}

/**
 * May a page use a web permission? Only writing text to the clipboard ("Copy paths"; Chromium's
 * sanitized write, never a read) and full screen (the viewer's "F"), and only our own page:
 * every other permission is refused.
 */
const PAGE_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write', 'fullscreen']);

export function permissionAllowed(permission: string, requestingUrl: string | null | undefined): boolean {
  return PAGE_PERMISSIONS.has(permission) && isAppUrl(requestingUrl);
}

/** Longest link handed to the system browser; longer ones are more likely smuggled data than a link. */
export const MAX_EXTERNAL_URL_LENGTH = 2048;

export type LinkDecision = { action: 'open-external'; url: string } | { action: 'deny' };

/**
 * What a window.open or a link with target=_blank may do: plain http(s) links without
 * credentials go to the person's browser (after they confirm); everything else — file:,
 * javascript:, data:, blob:, custom schemes, our own app:// — is refused.
 */
export function externalLinkDecision(url: string): LinkDecision {
  const u = parse(url);
  if (!u || url.length > MAX_EXTERNAL_URL_LENGTH) return { action: 'deny' };
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { action: 'deny' };
  if (u.username !== '' || u.password !== '' || u.hostname === '') return { action: 'deny' };
  return { action: 'open-external', url: u.href };
}

export type NavigationDecision = { action: 'allow' } | LinkDecision;

/**
 * What a navigation of a Shoebox window may do: stay on our own page (allow), or leave — which
 * never happens inside the window: an http(s) link opens in the browser, anything else is refused.
 */
export function navigationDecision(url: string): NavigationDecision {
  if (isAppUrl(url)) return { action: 'allow' };
  return externalLinkDecision(url);
}
