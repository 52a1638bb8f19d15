// Runs the Electronegativity scan of electron/ (as `npm run security` does) and requires every
// HIGH/MEDIUM finding to be explained in docs/security-allowlist.json, no stale entries, and no
// file left unparsed. A second scan of a deliberately unsafe copy shows the gate can fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
