// The desktop shell's pure security decisions: who may call the API over IPC, where a window may
// navigate or open links, which renderer files app:// serves, and what the CSP allows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { resolveAppFile } from '../../electron/main/app-files.js';
import { checkApiCall } from '../../electron/main/ipc-guard.js';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  externalLinkDecision,
  isTrustedSender,
  navigationDecision,
  permissionAllowed,
} from '../../electron/main/policy.js';

test('only frames showing app://shoebox/ are trusted IPC senders', () => {
  assert.equal(isTrustedSender(APP_ENTRY_URL), true);
  assert.equal(isTrustedSender('app://shoebox/index.html#/search?q=dog'), true);
  for (const url of [
    null,
    undefined,
    '',
    'about:blank',
    'file:///home/me/evil.html',
    'https://shoebox/index.html',
    'http://127.0.0.1:4780/',
    'app://evil/index.html',
    'app://shoebox.evil/index.html',
    'app://user:pw@shoebox/index.html',
    'shoebox-media://thumb/1',
    'data:text/html,<script>1</script>',
    'devtools://devtools/bundled/inspector.html',
    'not a url',
  ]) {
    assert.equal(isTrustedSender(url), false, String(url));
  }
});

test('an API call passes the guard only from our page and with a known operation name', () => {
  assert.deepEqual(checkApiCall(APP_ENTRY_URL, 'status'), { ok: true, name: 'status' });
  assert.deepEqual(checkApiCall(APP_ENTRY_URL, 'search.text'), { ok: true, name: 'search.text' });

  const foreign = checkApiCall('https://example.com/', 'status');
  assert.equal(foreign.ok, false);
  assert.equal(!foreign.ok && foreign.error.code, 'forbidden');
  const destroyed = checkApiCall(null, 'status');
  assert.equal(!destroyed.ok && destroyed.error.code, 'forbidden');

  for (const name of ['nope', 'toString', '__proto__', 'constructor', 'hasOwnProperty', 42, null, { name: 'status' }]) {
    const r = checkApiCall(APP_ENTRY_URL, name);
    assert.equal(r.ok, false, String(name));
    assert.equal(!r.ok && r.error.code, 'bad-input', String(name));
  }
  const long = checkApiCall(APP_ENTRY_URL, 'x'.repeat(10_000));
  assert.ok(!long.ok && long.error.message.length < 200, 'an unknown name is echoed back shortened');
});

test('window.open and links: only http(s) goes to the browser; everything else is refused', () => {
  assert.deepEqual(externalLinkDecision('https://github.com/openai/CLIP'), { action: 'open-external', url: 'https://github.com/openai/CLIP' });
  assert.deepEqual(externalLinkDecision('http://example.com/a?b=c'), { action: 'open-external', url: 'http://example.com/a?b=c' });
  for (const url of [
    'file:///etc/passwd',
    'file://server/share/x.exe',
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'blob:app://shoebox/123',
    'app://shoebox/index.html',
    'shoebox-media://photo/1',
    'smb://server/share',
    'ms-msdt:/id PCWDiagnostic',
    'vscode://file/etc/passwd',
    'mailto:someone@example.com',
    'ftp://example.com/x',
    'https://user:secret@example.com/',
    `https://example.com/?q=${'a'.repeat(3000)}`,
    'not a url',
    '',
  ]) {
    assert.deepEqual(externalLinkDecision(url), { action: 'deny' }, url);
  }
});

test('navigation stays on our page; http(s) leaves for the browser; the rest is refused', () => {
  assert.deepEqual(navigationDecision('app://shoebox/index.html'), { action: 'allow' });
  assert.deepEqual(navigationDecision('https://example.com/'), { action: 'open-external', url: 'https://example.com/' });
  for (const url of ['file:///home/me/photo.html', 'javascript:void 0', 'data:text/html,x', 'app://other/index.html', 'shoebox-media://thumb/1', 'about:blank']) {
    assert.deepEqual(navigationDecision(url), { action: 'deny' }, url);
  }
});

test('the CSP forbids inline and remote script, plugins, framing and network', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values];
    }),
  );
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('script-src'), ["'self'"]);
  assert.deepEqual(directives.get('object-src'), ["'none'"]);
  assert.deepEqual(directives.get('connect-src'), ["'self'"]);
  assert.deepEqual(directives.get('frame-ancestors'), ["'none'"]);
  assert.deepEqual(directives.get('base-uri'), ["'none'"]);
  assert.ok(directives.get('img-src')?.includes('shoebox-media:'));
  for (const values of directives.values()) {
    for (const v of values) assert.ok(!/^(https?:|\*|'unsafe-eval'|ws:|wss:|file:)/.test(v), `unexpected source ${v}`);
  }
  assert.ok(!directives.get('script-src')?.includes("'unsafe-inline'"));
});

test('app:// serves files of the renderer folder only', () => {
  const root = path.resolve('/opt/shoebox/dist/renderer');
  assert.deepEqual(resolveAppFile(root, 'app://shoebox/'), { file: path.join(root, 'index.html'), contentType: 'text/html; charset=utf-8' });
  assert.deepEqual(resolveAppFile(root, 'app://shoebox/assets/index-Ab12.js'), {
    file: path.join(root, 'assets', 'index-Ab12.js'),
    contentType: 'text/javascript; charset=utf-8',
  });
  assert.equal(resolveAppFile(root, 'app://shoebox/assets/my%20font.woff2')?.file, path.join(root, 'assets', 'my font.woff2'));
  for (const url of [
    'app://shoebox/assets/..%2f..%2fsecret.js',
    'app://shoebox/assets/%5c..%5csecret.js',
    'app://shoebox/assets//x.js',
    'app://shoebox/index.html%00.js',
    'app://shoebox/assets/',
    'app://shoebox/server.key',
    'app://shoebox/assets/app.exe',
    'app://other/index.html',
    'shoebox-media://shoebox/index.html',
    'file:///opt/shoebox/dist/renderer/index.html',
    'app://shoebox/%E0%A4%A.js',
  ]) {
    assert.equal(resolveAppFile(root, url), null, url);
  }
  // The WHATWG parser folds `..` (also written %2e%2e) away before we see it: the result stays inside the root.
  assert.equal(resolveAppFile(root, 'app://shoebox/../../etc/x.js')?.file, path.join(root, 'etc', 'x.js'));
  assert.equal(resolveAppFile(root, 'app://shoebox/%2e%2e/%2E%2e/etc/passwd.html')?.file, path.join(root, 'etc', 'passwd.html'));
});

test('a page gets no permission but clipboard writes and full screen (next test), and only our own page gets those', () => {
  assert.equal(permissionAllowed('clipboard-sanitized-write', 'app://shoebox'), true);
  assert.equal(permissionAllowed('clipboard-sanitized-write', APP_ENTRY_URL), true);
  for (const url of ['https://example.com', 'file:///etc/passwd', 'app://other', null, '']) assert.equal(permissionAllowed('clipboard-sanitized-write', url), false, String(url));
  for (const permission of ['clipboard-read', 'media', 'geolocation', 'notifications', 'openExternal', 'unknown']) assert.equal(permissionAllowed(permission, APP_ENTRY_URL), false, permission);
});

test('the viewer may go full screen, from our own page only', () => {
  assert.equal(permissionAllowed('fullscreen', APP_ENTRY_URL), true);
  for (const url of ['https://example.com', 'app://other', null]) assert.equal(permissionAllowed('fullscreen', url), false, String(url));
});
