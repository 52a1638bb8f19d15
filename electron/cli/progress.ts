// Renders job progress events in the terminal: a live bar (count, photos/s, ETA, current file)
// on a TTY, and one plain line every few seconds when output is redirected (CI logs, pipes).
import cliProgress from 'cli-progress';
import path from 'node:path';

export interface ProgressView {
  done: number;
  total: number;
  rate: number;
  etaSeconds: number | null;
  currentFile: string | null;
  phase?: string;
}

export interface ProgressRenderer {
  update(p: ProgressView): void;
  stop(): void;
}

function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}

function shortName(file: string | null, width: number): string {
  if (!file) return '';
  const base = path.basename(file);
  return base.length <= width ? base : `…${base.slice(base.length - width + 1)}`;
}

export function createProgressRenderer(label: string, unit = 'photos', stream: NodeJS.WriteStream = process.stderr): ProgressRenderer {
  if (!stream.isTTY) {
    let lastLine = 0;
    return {
      update(p) {
        const now = Date.now();
        if (now - lastLine < 5000 && p.done < p.total) return;
        lastLine = now;
        stream.write(`${label}: ${p.done}/${p.total} (${p.rate.toFixed(1)} ${unit}/s, ETA ${formatEta(p.etaSeconds)})\n`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${label} [{bar}] {value}/{total} | {rate} ${unit}/s | ETA {eta} | {file}`,
      barsize: 28,
      hideCursor: true,
      clearOnComplete: false,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      const payload = { rate: p.rate.toFixed(1), eta: formatEta(p.etaSeconds), file: shortName(p.currentFile, 32) };
      if (!started) {
        bar.start(Math.max(p.total, 1), p.done, payload);
        started = true;
      }
      bar.setTotal(Math.max(p.total, 1));
      bar.update(p.done, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
