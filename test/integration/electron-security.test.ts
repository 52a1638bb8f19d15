// Runs the Electronegativity scan of electron/ (as `npm run security` does) and requires every
// HIGH/MEDIUM finding to be explained in docs/security-allowlist.json, no stale entries, and no
// file left unparsed. A second scan of a deliberately unsafe copy shows the gate can fail. A third
// runs `scripts/electron-security.ts` in a network namespace with no network and a tripwire on
// every connection attempt, and requires the same report as the scan here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatReport, reportPasses, scanElectron } from '../../scripts/electron-security.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('electron/ has no unexplained high or medium Electronegativity finding', async () => {
  const report = await scanElectron(repoRoot);
  assert.ok(report.findings.length > 0, 'the scanner found nothing at all: did it scan electron/?');
  assert.ok(reportPasses(report), formatReport(report));
});

test('the gate fails on an unsafe window', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'shoebox-eneg-'));
  try {
    mkdirSync(path.join(root, 'electron'), { recursive: true });
    mkdirSync(path.join(root, 'docs'), { recursive: true });
    mkdirSync(path.join(root, 'node_modules', 'electron'), { recursive: true });
    cpSync(path.join(repoRoot, 'node_modules', 'electron', 'package.json'), path.join(root, 'node_modules', 'electron', 'package.json'));
    writeFileSync(path.join(root, 'docs', 'security-allowlist.json'), '[]');
    writeFileSync(
      path.join(root, 'electron', 'unsafe.ts'),
      "import { BrowserWindow } from 'electron';\nexport const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n",
    );
    const report = await scanElectron(root);
    assert.equal(reportPasses(report), false);
    const checks = report.unexplained.map((f) => f.check);
    // The window's own settings, and what the real electron/ has and this copy lacks: a CSP,
    // navigation limits and a permission handler.
    for (const check of ['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'CSP_GLOBAL_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK']) {
      assert.ok(checks.includes(check), `${check} missing from: ${checks.join(', ')}`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

/** How to enter a network namespace with no network here, or why it cannot be done. */
function unshareNet(): { prefix: string[] } | { skip: string } {
  if (process.platform !== 'linux') return { skip: 'network namespaces (unshare --net) exist only on Linux' };
  const reasons: string[] = [];
  // As root plain `unshare --net` works; otherwise an unprivileged user namespace may allow it.
  for (const prefix of [['unshare', '--net', '--'], ['unshare', '--map-root-user', '--net', '--']]) {
    const probe = spawnSync(prefix[0]!, [...prefix.slice(1), 'true'], { encoding: 'utf8', timeout: 10_000 });
    if (probe.status === 0) return { prefix };
    reasons.push(`${prefix.join(' ')} true: ${probe.error?.message ?? (probe.stderr.trim() || `exit ${probe.status}`)}`);
  }
  return { skip: `cannot create a network namespace (${reasons.join('; ')})` };
}

/** `strace` records every socket call, so it shows attempts the JavaScript tripwire could miss. */
function straceWorks(prefix: string[]): boolean {
  const probe = spawnSync(prefix[0]!, [...prefix.slice(1), 'strace', '-f', '-qq', '-o', '/dev/null', 'true'], { encoding: 'utf8', timeout: 10_000 });
  return probe.status === 0;
}

test('npm run security runs offline: no connection attempt, same report', { timeout: 180_000 }, async (t) => {
  const ns = unshareNet();
  if ('skip' in ns) {
    t.skip(ns.skip);
    return;
  }
  const expectedReport = await scanElectron(repoRoot);
  const expectedStdout = `${formatReport(expectedReport)}\n${reportPasses(expectedReport) ? 'Security check passed.' : 'Security check FAILED.'}\n`;

  const dir = mkdtempSync(path.join(os.tmpdir(), 'shoebox-eneg-offline-'));
  try {
    const traceFile = path.join(dir, 'strace.txt');
    const strace = straceWorks(ns.prefix) ? ['strace', '-f', '-qq', '-e', 'trace=connect,sendto,sendmsg,sendmmsg', '-o', traceFile] : [];
    if (strace.length === 0) t.diagnostic('strace is not available: relying on the namespace and the tripwire');
    // Inside the namespace there is only a downed loopback: any connection fails at once, and the
    // tripwire turns the first attempt (which Electronegativity would swallow) into exit code 97.
    // The timeout turns a hang on the network into a failure too.
    const command = [...ns.prefix, ...strace, process.execPath, '--require', './test/support/no-network.cjs', '--import', 'tsx', 'scripts/electron-security.ts'];
    const run = spawnSync(command[0]!, command.slice(1), { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
    const shown = `$ ${command.join(' ')}\nstatus ${run.status} signal ${run.signal}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;

    assert.equal(run.error, undefined, `the offline scan did not finish: ${run.error?.message}\n${shown}`);
    assert.doesNotMatch(run.stderr, /\[no-network\]/, `the scan tried to reach the network\n${shown}`);
    assert.equal(run.status, reportPasses(expectedReport) ? 0 : 1, shown);
    assert.equal(run.stdout, expectedStdout, `the offline scan reported something else than the scan in this process\n${shown}`);

    if (strace.length > 0) {
      assert.ok(existsSync(traceFile), 'strace wrote no trace');
      const inet = readFileSync(traceFile, 'utf8')
        .split('\n')
        .filter((line) => /AF_INET6?\b/.test(line));
      assert.deepEqual(inet, [], 'socket calls to an Internet address');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('findings are described with the translations bundled in Electronegativity', async () => {
  const locale = path.join(repoRoot, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'locales', 'en-US.json');
  assert.ok(existsSync(locale), locale);
  const texts = new Set(Object.values(JSON.parse(readFileSync(locale, 'utf8')) as Record<string, unknown>));
  const report = await scanElectron(repoRoot);
  for (const f of report.findings) assert.ok(texts.has(f.description), `${f.check}: "${f.description}" is not an en-US text of the package`);
});
