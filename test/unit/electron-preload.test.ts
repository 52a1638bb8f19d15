// The preload as Electron's sandbox runs it: compiled with the project's own tsconfig (tsc picks
// CommonJS from electron/preload/package.json), then evaluated as a classic script whose
// require() knows only 'electron'. Electron's binary is not available to tests, so 'electron' is
// a small recording stand-in here; what is checked is the preload's own code and its output form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import ts from 'typescript';
import { IPC } from '../../electron/common/bridge-contract.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const preloadTs = path.join(repoRoot, 'electron', 'preload', 'preload.ts');

function compilePreload(): string {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(repoRoot, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  assert.ok(parsed, 'tsconfig.json could not be read');
  // noResolve: only this file's own emit matters; its imports are types, checked by `npm run typecheck`.
  const program = ts.createProgram({ rootNames: [preloadTs], options: { ...parsed.options, noResolve: true, sourceMap: false, types: [] } });
  let js = '';
  program.emit(program.getSourceFile(preloadTs), (name, text) => {
    if (name.endsWith('.js')) js = text;
  });
  assert.ok(js.length > 0, 'no JavaScript emitted for the preload');
  return js;
}

type Listener = (event: unknown, payload: unknown) => void;

function runSandboxed(js: string) {
  const required: string[] = [];
  const exposed: [string, Record<string, unknown>][] = [];
  const invoked: unknown[][] = [];
  const listeners = new Map<string, Set<Listener>>();
  let answer: unknown = { ok: true, result: { photos: 3 } };
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.push([key, api]) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => {
        invoked.push(args);
        return answer;
      },
      on: (channel: string, fn: Listener) => void (listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel)!).add(fn),
      removeListener: (channel: string, fn: Listener) => void listeners.get(channel)?.delete(fn),
    },
  };
  const sandboxRequire = (id: string): unknown => {
    required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${id}`);
  };
  // The parameters Electron's sandboxed preload wrapper provides; a top-level import/export would not compile here.
  const wrapper = vm.compileFunction(js, ['require', 'process', 'Buffer', 'global', 'setImmediate', 'clearImmediate', 'exports', 'module']);
  const module = { exports: {} };
  wrapper(sandboxRequire, process, Buffer, globalThis, setImmediate, clearImmediate, module.exports, module);
  return { required, exposed, invoked, listeners, setAnswer: (a: unknown) => (answer = a) };
}

test('the compiled preload is a classic CommonJS script that requires only electron', () => {
  const js = compilePreload();
  assert.doesNotMatch(js, /^\s*(import|export)\s/m, 'ES module syntax cannot run in the sandbox');
  const { required } = runSandboxed(js);
  assert.deepEqual(required, ['electron']);
});

test('window.shoebox is exactly { call, onJobEvent, pickFolder, showInFolder }', async () => {
  const sandbox = runSandboxed(compilePreload());
  assert.equal(sandbox.exposed.length, 1);
  const [key, api] = sandbox.exposed[0]!;
  assert.equal(key, 'shoebox');
  assert.deepEqual(Object.keys(api).sort(), ['call', 'onJobEvent', 'pickFolder', 'showInFolder']);
  const bridge = api as {
    call(name: string, input: unknown): Promise<unknown>;
    onJobEvent(fn: (e: unknown) => void): () => void;
    pickFolder(): Promise<string | null>;
    showInFolder(photoId: number): Promise<unknown>;
  };

  // call: the envelope from the main process is handed on unchanged, errors included.
  assert.deepEqual(await bridge.call('status', { loadModel: false }), { ok: true, result: { photos: 3 } });
  assert.deepEqual(sandbox.invoked.at(-1), [IPC.api, 'status', { loadModel: false }]);
  sandbox.setAnswer({ ok: false, error: { code: 'not-found', message: 'No photo with id 9.' } });
  assert.deepEqual(await bridge.call('photos.get', { id: 9 }), { ok: false, error: { code: 'not-found', message: 'No photo with id 9.' } });

  // onJobEvent: the page gets the job event, never Electron's IPC event object; unsubscribe works.
  const seen: unknown[] = [];
  const unsubscribe = bridge.onJobEvent((e) => seen.push(e));
  const registered = [...(sandbox.listeners.get(IPC.jobEvent) ?? [])];
  assert.equal(registered.length, 1);
  registered[0]!({ sender: 'ipc-event-with-internals' }, { jobId: 4, state: 'running' });
  assert.deepEqual(seen, [{ jobId: 4, state: 'running' }]);
  unsubscribe();
  assert.equal(sandbox.listeners.get(IPC.jobEvent)?.size, 0);

  // pickFolder: a path string or null, nothing else.
  sandbox.setAnswer('/home/me/Pictures');
  assert.equal(await bridge.pickFolder(), '/home/me/Pictures');
  assert.deepEqual(sandbox.invoked.at(-1), [IPC.pickFolder]);
  sandbox.setAnswer({ path: '/etc' });
  assert.equal(await bridge.pickFolder(), null);

  // showInFolder: the photo's id goes on its own channel (never a path); the envelope comes back unchanged.
  sandbox.setAnswer({ ok: false, error: { code: 'not-found', message: 'No photo with id 7.' } });
  assert.deepEqual(await bridge.showInFolder(7), { ok: false, error: { code: 'not-found', message: 'No photo with id 7.' } });
  assert.deepEqual(sandbox.invoked.at(-1), [IPC.showInFolder, 7]);
});
