// Builds the Svelte interface into dist/renderer (npm run build:renderer). `base: './'` keeps every
// asset URL relative, so the same build works from the browser-mode server and inside Electron.
//
// npm run dev:renderer serves it with hot reload and forwards /api, /media and /events to a
// running Shoebox server: start one (`tsx electron/server/start.ts --port 4780`), then
//   SHOEBOX_API=http://127.0.0.1:4780 SHOEBOX_TOKEN=<token it printed> npm run dev:renderer
// The proxy adds the token and drops the dev page's Origin, which the server would refuse.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type ProxyOptions } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const api = process.env['SHOEBOX_API'];
const token = process.env['SHOEBOX_TOKEN'] ?? '';

function forward(ws: boolean): ProxyOptions {
  return {
    target: api,
    ws,
    changeOrigin: true,
    headers: { Authorization: `Bearer ${token}` },
    configure: (proxy) => {
      proxy.on('proxyReq', (req) => req.removeHeader('origin'));
      proxy.on('proxyReqWs', (req) => req.removeHeader('origin'));
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  plugins: [svelte({ configFile: false, compilerOptions: { runes: true } })],
  build: {
    outDir: path.resolve(here, '../dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    // Nothing inlined as data: URLs; the CSP allows them for images only.
    assetsInlineLimit: 0,
  },
  server: api ? { proxy: { '/api': forward(false), '/media': forward(false), '/events': forward(true) } } : {},
});
