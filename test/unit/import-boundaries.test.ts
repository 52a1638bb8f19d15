// The layout's import rules (docs/DESIGN.md, "Rooms"), checked on every source file with the
// TypeScript parser: the core never reaches into the processes that host it, workers never into
// Electron's main process, the shared contracts load nothing of the core at run time, and the
// renderer sees only itself and the shared contracts. A forbidden import fails this test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Import {
  specifier: string;
  typeOnly: boolean;
}

/** Every import and re-export of a TypeScript or Svelte file, with whether it is erased at compile time. */
export function importsOf(file: string, text: string): Import[] {
  const sources = file.endsWith('.svelte') ? [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '') : [text];
  const out: Import[] = [];
  for (const source of sources) {
    const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const clause = node.importClause;
        const typeOnly = clause?.isTypeOnly === true || (clause !== undefined && !clause.name && clause.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly));
        out.push({ specifier: node.moduleSpecifier.text, typeOnly });
      } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        out.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
        out.push({ specifier: node.arguments[0].text, typeOnly: false });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(repoRoot, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|svelte)$/.test(e.name))
    .map((e) => path.relative(repoRoot, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

/** The area of a repository path: 'core', 'common', 'main' … for electron/*, 'renderer', or 'outside'. */
function areaOf(repoPath: string): string {
  const [top, second] = repoPath.split('/');
  if (top === 'electron') return second ?? 'outside';
  return top === 'renderer' ? 'renderer' : 'outside';
}

/** Why an import of `from` is forbidden, or null when it is allowed. */
export function violation(from: string, imp: Import): string | null {
  const area = areaOf(from);
  const relative = imp.specifier.startsWith('.');
  const target = relative ? path.posix.normalize(path.posix.join(path.posix.dirname(from), imp.specifier)) : null;
  const targetArea = target ? areaOf(target) : null;
  const pkg = relative ? null : imp.specifier;
  // A devDependency for the side-by-side benchmark (test/bench/index-compare.bench.ts) only.
  if (pkg === '@huggingface/transformers' || pkg?.startsWith('@huggingface/transformers/')) return 'Transformers.js is for the benchmark comparison only (test/bench)';
  switch (area) {
    case 'core':
      if (pkg === 'electron' || pkg?.startsWith('electron/')) return 'the core never imports Electron';
      if (targetArea && ['workers', 'main', 'server', 'cli', 'preload'].includes(targetArea)) return `the core never imports electron/${targetArea}`;
      return null;
    case 'common':
      if (targetArea === 'core' && !imp.typeOnly) return 'shared contracts may import the core\'s types only (import type)';
      if (targetArea && targetArea !== 'common' && targetArea !== 'core') return `shared contracts never import electron/${targetArea}`;
      if (pkg) return 'shared contracts import no packages';
      return null;
    case 'workers':
      if (targetArea && ['main', 'server', 'cli', 'preload'].includes(targetArea)) return `workers never import electron/${targetArea}`;
      return null;
    case 'server':
    case 'cli':
      if (targetArea && ['main', 'workers', 'preload', 'server', 'cli'].includes(targetArea) && targetArea !== area) return `electron/${area} never imports electron/${targetArea}`;
      return null;
    case 'main':
      if (targetArea && ['server', 'cli', 'preload'].includes(targetArea)) return `electron/main never imports electron/${targetArea}`;
      return null;
    case 'preload':
      // Sandboxed: require() knows only 'electron' there, so everything else must be erased types.
      if (pkg === 'electron') return null;
      return imp.typeOnly ? null : 'the sandboxed preload may load only electron; other imports must be import type';
    case 'renderer':
      if (targetArea && targetArea !== 'renderer' && targetArea !== 'common') return `the renderer imports only itself and electron/common, not ${target}`;
      return null;
    default:
      return null;
  }
}

test('no file imports across a forbidden boundary', () => {
  const files = [...sourceFiles('electron'), ...sourceFiles('renderer/src')];
  assert.ok(files.length > 100, `only ${files.length} source files found`);
  const problems: string[] = [];
  for (const file of files) {
    for (const imp of importsOf(file, readFileSync(path.join(repoRoot, file), 'utf8'))) {
      const why = violation(file, imp);
      if (why) problems.push(`${file} imports ${imp.specifier}: ${why}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('the rules catch the imports the layout forbids', () => {
  const cases: [string, string, boolean][] = [
    ['electron/core/imaging/heic.ts', "import type { HeicReply } from '../../workers/heic-worker.js';", true],
    ['electron/workers/core-host-service.ts', "import type { ApiReply } from '../main/bridge-contract.js';", true],
    ['renderer/src/App.svelte', "<script lang=\"ts\">\n  import { FOCUS_SEARCH_EVENT } from '../../electron/main/bridge-contract.js';\n</script>", true],
    ['renderer/src/lib/api/client.ts', "import type { ApiName } from '../../../../electron/core/api/table.js';", true],
    ['electron/common/api-types.ts', "import { api } from '../core/api/table.js';", true],
    ['electron/core/shoebox.ts', "import { app } from 'electron';", true],
    ['electron/common/api-types.ts', "export type { ApiName } from '../core/api/table.js';", false],
    ['renderer/src/lib/api/client.ts', "import type { JobEvent } from '../../../../electron/common/job-events.js';", false],
    ['electron/workers/core-host.ts', "import { Shoebox } from '../core/shoebox.js';", false],
    ['electron/core/clip/clip-model.ts', "import { AutoProcessor } from '@huggingface/transformers';", true],
  ];
  for (const [file, source, forbidden] of cases) {
    const found = importsOf(file, source).some((imp) => violation(file, imp) !== null);
    assert.equal(found, forbidden, `${file}: ${source}`);
  }
});
