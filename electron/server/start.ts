// Entry point of the browser-mode server: `tsx electron/server/start.ts [options]`.
// Starts Shoebox's API and UI on 127.0.0.1 and prints the address with its access key.
import { parseArgs } from 'node:util';
import { resolveDataDir } from '../core/paths.js';
import { parsePort, startBrowserMode } from './browser-mode.js';
import { errorMessage } from '../common/error-message.js';

const USAGE = `Usage: shoebox-server [options]

  --data-dir <dir>     where the library database and thumbnails live (default: the platform's data folder)
  --port <n>           port to listen on (default 0: any free port)
  --host <address>     address to listen on (default 127.0.0.1; other machines cannot connect)
  --model <dir>        a model folder to use instead of the active one
  --provider <list>    execution providers to try, e.g. "cuda,cpu"
  --renderer <dir>     the built interface (default: dist/renderer)
  --open               open the address in the default browser
  -h, --help           this help`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      model: { type: 'string' },
      provider: { type: 'string' },
      renderer: { type: 'string' },
      open: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = parsePort(values.port);
  await startBrowserMode({
    dataDir: resolveDataDir(values['data-dir']),
    open: values.open === true,
    ...(port !== undefined ? { port } : {}),
    ...(values.host ? { host: values.host } : {}),
    ...(values.model ? { modelDir: values.model } : {}),
    ...(values.provider ? { provider: values.provider } : {}),
    ...(values.renderer ? { rendererDir: values.renderer } : {}),
  });
}

main().catch((err: unknown) => {
  console.error(`shoebox-server: ${errorMessage(err)}`);
  process.exit(1);
});
