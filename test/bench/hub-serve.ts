// A fake Hub (test/support/hub-server.ts) in a process of its own for the download benchmark, so the
// server's work does not share the measured client's thread. Serves one repository, bench/model,
// with a random weights file of the given MiB; prints {"endpoint": …} and runs until stdin closes.
import { randomBytes } from 'node:crypto';
import { startHubServer } from '../support/hub-server.js';

const mib = Number(process.argv[2] ?? '256');
const hub = await startHubServer({
  repos: { 'bench/model': { 'config.json': Buffer.from('{}'), 'visual/model.onnx': randomBytes(mib * 2 ** 20) } },
  lfsThreshold: 1024,
});
process.stdout.write(`${JSON.stringify({ endpoint: hub.endpoint })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void hub.close().then(() => process.exit(0)));
