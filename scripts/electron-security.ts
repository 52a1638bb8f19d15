// `npm run security`: Electronegativity (Doyensec's static checker for Electron misconfigurations)
// over electron/. Fails on any HIGH or MEDIUM finding that docs/security-allowlist.json does not
// list with a reason, on allow-list entries that no longer match a finding (so the list stays
// honest), and on files the checker could not parse (they would go unchecked).
//
// Offline by design, and it makes no network connection at all:
// - the check that downloads Electron's release list from GitHub (AvailableSecurityFixesGlobalCheck)
//   is skipped: we pin Electron in package.json, and the version comes from node_modules/electron;
// - Electronegativity 1.10.3 begins every run by downloading "updated translations" for its
//   messages from an S3 bucket (see useBundledTranslations below); we load it with its own bundled
//   translations instead.
// test/integration/electron-security.test.ts runs this script under `unshare --net` with a tripwire
// on every connection attempt to keep it that way.
import { readFileSync } from 'node:fs';
import { Module, createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCAN_ROOT = 'electron';
const ALLOWLIST = 'docs/security-allowlist.json';
/** Checks that talk to the network while scanning. */
const SKIPPED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];
const FAILING_SEVERITIES = new Set(['HIGH', 'MEDIUM']);

export interface Finding {
  check: string;
  /** Relative to the repository root, with forward slashes. */
  file: string;
  line: number;
  severity: string;
  confidence: string;
  description: string;
}

export interface ScanReport {
  findings: Finding[];
  /** HIGH/MEDIUM findings with no allow-list entry. */
  unexplained: Finding[];
  /** Allow-list entries that match no finding. */
  stale: AllowEntry[];
  parseErrors: { file: string; message: string }[];
}

const allowEntry = z
  .object({
    check: z.string().min(1),
    file: z.string().min(1),
    reason: z.string().min(20, 'say why the finding is acceptable'),
  })
  .strict();
export type AllowEntry = z.infer<typeof allowEntry>;

// The shape of Electronegativity's programmatic result that we rely on, checked at run time.
const level = z.object({ name: z.string() });
const runResult = z.object({
  errors: z.array(z.object({ file: z.string(), message: z.string(), tolerable: z.boolean().optional() })),
  issues: z.array(
    z.object({
      id: z.string(),
      file: z.string(),
      location: z.object({ line: z.number() }),
      severity: level,
      confidence: level,
      description: z.string(),
    }),
  ),
});

type Runner = (options: Record<string, unknown>) => Promise<unknown>;

/** The Electronegativity release whose internals useBundledTranslations relies on. */
const ELECTRONEGATIVITY_VERSION = '1.10.3';
const BUNDLED_LOCALE = 'en-US';

interface I18n {
  configure(options: Record<string, unknown>): void;
  setLocale(locale: string): string;
}
const isI18n = (v: unknown): v is I18n =>
  typeof v === 'object' && v !== null && typeof (v as Partial<I18n>).configure === 'function' && typeof (v as Partial<I18n>).setLocale === 'function';
let bundledTranslationsLoader: (() => Promise<void>) | undefined;

/**
 * Electronegativity has no offline switch. Its runner (dist/runner.js) first awaits the default
 * export of dist/locales/i18n.js, which configures the `i18n` package with the translations bundled
 * in dist/locales/ (en-US, es-ES, fr-FR) and then downloads, with `got` (1 s timeout, 2 retries),
 * `${i18nSource}/${process.env.LANG || 'en-US'}.json`, where i18nSource (in the package's
 * package.json) is https://electronegativity-i18n.s3.us-west-2.amazonaws.com. If that download
 * fails it logs "Could not retrieve updated translations for the current locale" and goes on with
 * the bundled texts, which for any LANG other than exactly es-ES or fr-FR (C.UTF-8, en_US.UTF-8,
 * unset, ...) are the en-US ones. The translations only word the findings' descriptions.
 *
 * So before the runner is loaded, Node's CommonJS cache gets, under the path of that module, a
 * replacement that does the same configuration and selects en-US, without the download: the same
 * findings as before, described with the bundled en-US texts whatever LANG says, no network, and
 * no file inside node_modules changed (`npm ci` would undo that).
 */
function useBundledTranslations(require: NodeRequire): void {
  const pkgPath = require.resolve('@doyensec/electronegativity/package.json');
  const version = z.object({ version: z.string() }).parse(JSON.parse(readFileSync(pkgPath, 'utf8'))).version;
  if (version !== ELECTRONEGATIVITY_VERSION) {
    throw new Error(
      `@doyensec/electronegativity ${version} is installed; scripts/electron-security.ts keeps ${ELECTRONEGATIVITY_VERSION} offline. ` +
        'Check how the new version loads its translations, then update useBundledTranslations.',
    );
  }
  const localesDir = path.join(path.dirname(pkgPath), 'dist', 'locales');
  const i18nModulePath = path.join(localesDir, 'i18n.js');
  const cached = require.cache[i18nModulePath];
  if (cached !== undefined && cached.exports === bundledTranslationsLoader) return;
  if (cached) throw new Error(`${i18nModulePath} was loaded before the scan: its translations would be downloaded`);
  const i18n: unknown = createRequire(i18nModulePath)('i18n');
  if (!isI18n(i18n)) throw new Error('the i18n package Electronegativity uses has no configure/setLocale');

  const loadBundledTranslations = (): Promise<void> => {
    // The same configuration as dist/locales/i18n.js: it reads dist/locales/<locale>.json and
    // defines the global __() the checks word their descriptions with.
    i18n.configure({
      locales: ['en-US', 'es-ES', 'fr-FR'],
      defaultLocale: BUNDLED_LOCALE,
      directory: localesDir,
      updateFiles: false,
      objectNotation: true,
      retryInDefaultLocale: true,
      register: globalThis,
    });
    i18n.setLocale(BUNDLED_LOCALE);
    return Promise.resolve();
  };
  // Marks the replacement, so that a second scan in the same process finds it in place.
  bundledTranslationsLoader = loadBundledTranslations;

  const replacement = new Module(i18nModulePath);
  replacement.filename = i18nModulePath;
  replacement.loaded = true;
  replacement.exports = loadBundledTranslations;
  require.cache[i18nModulePath] = replacement;
}

function loadRunner(): Runner {
  const require = createRequire(import.meta.url);
  useBundledTranslations(require);
  const mod: unknown = require('@doyensec/electronegativity');
  const fn = typeof mod === 'function' ? mod : (mod as { default?: unknown }).default;
  if (typeof fn !== 'function') throw new Error('@doyensec/electronegativity: no runner exported (is version 1.10.3 installed?)');
  return fn as Runner;
}

function electronVersion(root: string): string {
  const pkg: unknown = JSON.parse(readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8'));
  return z.object({ version: z.string() }).parse(pkg).version;
}

export function readAllowlist(root = repoRoot): AllowEntry[] {
  const file = path.join(root, ALLOWLIST);
  const parsed = z.array(allowEntry).safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${ALLOWLIST}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

const toPosix = (p: string): string => p.split(path.sep).join('/');

export async function scanElectron(root = repoRoot): Promise<ScanReport> {
  const input = path.join(root, SCAN_ROOT);
  const raw = await loadRunner()({
    input,
    excludeFromScan: SKIPPED_CHECKS,
    electronVersionOverride: electronVersion(root),
    isRelative: false,
  });
  const result = runResult.parse(raw);
  const rel = (file: string): string => toPosix(path.relative(root, path.resolve(input, file)));
  // Electronegativity's checks run concurrently and report in the order they finish: sorted, the
  // same tree always gives the same report (the offline test compares two runs' reports).
  const findings = result.issues
    .map((i) => ({
      check: i.id,
      file: rel(i.file),
      line: i.location.line,
      severity: i.severity.name,
      confidence: i.confidence.name,
      description: i.description,
    }))
    .sort((a, b) => a.severity.localeCompare(b.severity) || a.check.localeCompare(b.check) || a.file.localeCompare(b.file) || a.line - b.line);
  const allow = readAllowlist(root);
  const allowed = (f: Finding): boolean => allow.some((a) => a.check === f.check && a.file === f.file);
  return {
    findings,
    unexplained: findings.filter((f) => FAILING_SEVERITIES.has(f.severity) && !allowed(f)),
    stale: allow.filter((a) => !findings.some((f) => f.check === a.check && f.file === a.file)),
    parseErrors: result.errors.filter((e) => e.tolerable !== true).map((e) => ({ file: rel(e.file), message: e.message })),
  };
}

export function formatReport(report: ScanReport): string {
  const lines = report.findings.map((f) => `  ${f.severity.padEnd(13)} ${f.check}  ${f.file}:${f.line}  ${f.description}`);
  const out = [`Electronegativity: ${report.findings.length} finding(s) in ${SCAN_ROOT}/`, ...lines];
  for (const f of report.unexplained) out.push(`NOT ALLOWED: ${f.check} at ${f.file}:${f.line}: fix it, or explain it in ${ALLOWLIST} and docs/SECURITY.md`);
  for (const a of report.stale) out.push(`STALE: ${ALLOWLIST} lists ${a.check} in ${a.file}, which no longer occurs: remove the entry`);
  for (const e of report.parseErrors) out.push(`NOT CHECKED: ${e.file} could not be parsed: ${e.message}`);
  return out.join('\n');
}

export function reportPasses(report: ScanReport): boolean {
  return report.unexplained.length === 0 && report.stale.length === 0 && report.parseErrors.length === 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  scanElectron().then(
    (report) => {
      console.log(formatReport(report));
      const ok = reportPasses(report);
      console.log(ok ? 'Security check passed.' : 'Security check FAILED.');
      process.exit(ok ? 0 : 1);
    },
    (err: unknown) => {
      console.error(`security check could not run: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(2);
    },
  );
}
