// The /events WebSocket: pushes job progress (indexing …) to the browser UI as JSON messages
// `{ type: 'job', job: JobEvent }`. A new connection first gets the state of every live job, so a
// page opened mid-index shows the progress at once. The socket is one-way: messages from the
// client are ignored, and their size is capped.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Shoebox } from '../core/shoebox.js';
import type { JobEvent } from '../common/job-events.js';

export interface JobMessage {
  type: 'job';
  job: JobEvent;
}

/** A slow client that has this much unsent data skips progress events instead of queueing them. */
const MAX_BUFFERED_BYTES = 1 << 20;
const PING_MS = 30_000;

export class EventHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  private readonly unsubscribe: () => void;
  private readonly alive = new WeakSet<WebSocket>();
  private readonly pinger: NodeJS.Timeout;

  constructor(core: Shoebox) {
    this.unsubscribe = core.jobs.subscribe((job) => this.broadcast(job));
    this.wss.on('connection', (ws) => {
      this.alive.add(ws);
      ws.on('pong', () => this.alive.add(ws));
      ws.on('error', () => ws.terminate());
      for (const job of core.jobs.active()) send(ws, job);
    });
    // Drops connections whose browser went away without closing them.
    this.pinger = setInterval(() => {
      for (const ws of this.wss.clients) {
        if (!this.alive.has(ws)) ws.terminate();
        else {
          this.alive.delete(ws);
          ws.ping();
        }
      }
    }, PING_MS);
    this.pinger.unref();
  }

  /** Completes an upgrade that the server has already authorised. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  close(): void {
    clearInterval(this.pinger);
    this.unsubscribe();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  private broadcast(job: JobEvent): void {
    for (const ws of this.wss.clients) send(ws, job);
  }
}

function send(ws: WebSocket, job: JobEvent): void {
  if (ws.readyState !== ws.OPEN || ws.bufferedAmount > MAX_BUFFERED_BYTES) return;
  ws.send(JSON.stringify({ type: 'job', job } satisfies JobMessage));
}
