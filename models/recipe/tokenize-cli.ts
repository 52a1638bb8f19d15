// Tokenises a JSON array of texts from stdin with the app's tokenizer and prints the id rows as JSON,
// so export.py's parity fixture uses exactly the ids the app would produce.
//   echo '["a red star"]' | npx tsx models/recipe/tokenize-cli.ts --model models/shoebox-mini --context-length 24

import { parseArgs } from 'node:util';
import { text } from 'node:stream/consumers';
import { loadClipTokenizer } from '../../electron/core/clip/tokenizer.js';

const { values } = parseArgs({
  options: { model: { type: 'string', default: 'models/shoebox-mini' }, 'context-length': { type: 'string', default: '24' } },
});
const input: unknown = JSON.parse(await text(process.stdin));
if (!Array.isArray(input) || !input.every((t) => typeof t === 'string')) {
  throw new Error('tokenize-cli: stdin must be a JSON array of strings');
}
const ctx = Number(values['context-length']);
const tok = await loadClipTokenizer(values.model as string, ctx);
const ids = tok.encode(input as string[], 'int32').ids;
const rows: number[][] = [];
for (let r = 0; r < input.length; r++) rows.push(Array.from(ids.subarray(r * ctx, (r + 1) * ctx)));
process.stdout.write(JSON.stringify(rows) + '\n');
