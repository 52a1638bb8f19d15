// `npm run security`: Electronegativity (Doyensec's static checker for Electron misconfigurations)
// over electron/. Fails on any HIGH or MEDIUM finding that docs/security-allowlist.json does not
// list with a reason, on allow-list entries that no longer match a finding (so the list stays
// honest), and on files the checker could not parse (they would go unchecked).
//
// Offline by design: the check that downloads Electron's release list from GitHub is skipped
// (we pin Electron in package.json instead), and the version comes from node_modules/electron.
// The tool's attempt to fetch translations fails after a one-second timeout when offline.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

function loadRunner(): Runner {
  const require = createRequire(import.meta.url);
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
  const findings = result.issues.map((i) => ({
    check: i.id,
    file: rel(i.file),
    line: i.location.line,
    severity: i.severity.name,
    confidence: i.confidence.name,
    description: i.description,
  }));
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
