// One request/response convention for every worker thread (and, through the same port shape,
// utility process) Shoebox starts: the caller sends `{ id, method, params }`, the worker answers
// `{ id, ok: true, result }` or `{ id, ok: false, error }`, and may send `{ event, data }` on its
// own (a ready signal, a start-up failure). RpcClient matches answers to calls by id, moves the
// buffers it is given (transfer lists), references the worker while a call is pending and
// unreferences it when the last answer arrives (an idle worker never keeps the process alive), and fails every pending and later
// call with one reason once the worker is gone. serveRpc is the worker's side.
import { errorMessage } from '../../common/error-message.js';

export interface RpcRequest {
  id: number;
  method: string;
  params: unknown;
}

export type RpcReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export interface RpcEvent {
  event: string;
  data: unknown;
}

/** Method name → its parameters and result. */
export type RpcMethods = Record<string, { params: unknown; result: unknown }>;

/** What the client needs of a worker (a worker_threads Worker has all of it). */
export interface RpcPort {
  postMessage(message: unknown, transfer?: readonly ArrayBuffer[]): void;
  ref?(): void;
  unref?(): void;
}

interface Pending {
  resolve(result: unknown): void;
  reject(err: Error): void;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export class RpcClient<M extends RpcMethods> {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: string | undefined;

  constructor(
    private readonly port: RpcPort,
    private readonly onEvent: (event: string, data: unknown) => void = () => undefined,
  ) {}

  /** Why calls fail now (the worker is gone), or undefined while it serves. */
  get failed(): string | undefined {
    return this.failure;
  }

  /** Calls a method; the buffers in `transfer` are moved to the worker (empty here afterwards). */
  call<K extends keyof M & string>(method: K, params: M[K]['params'], transfer: readonly ArrayBuffer[] = []): Promise<M[K]['result']> {
    if (this.failure !== undefined) return Promise.reject(new Error(this.failure));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
      this.port.ref?.();
      const request: RpcRequest = { id, method, params };
      try {
        this.port.postMessage(request, transfer);
      } catch {
        // Some buffers cannot be moved (e.g. Node's shared Buffer pool): send a copy instead.
        this.port.postMessage(request);
      }
    });
  }

  /** Feeds one message from the worker in: an answer settles its call, an event goes to onEvent. */
  receive(message: unknown): void {
    if (!isRecord(message)) return;
    if (typeof message['event'] === 'string') {
      this.onEvent(message['event'], message['data']);
      return;
    }
    const id = message['id'];
    const call = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (!call) return;
    this.pending.delete(id as number);
    if (this.pending.size === 0) this.port.unref?.();
    if (message['ok'] === true) call.resolve(message['result']);
    else call.reject(new Error(typeof message['error'] === 'string' ? message['error'] : 'the worker answered with an error'));
  }

  /** The worker is gone: every pending call and every later one rejects with `reason` (the first one given). */
  fail(reason: string): void {
    this.failure ??= reason;
    const err = new Error(this.failure);
    for (const call of this.pending.values()) call.reject(err);
    this.pending.clear();
  }
}

/** What a worker thread's entry needs of its port. */
export interface RpcServerPort {
  postMessage(message: unknown, transfer?: readonly ArrayBuffer[]): void;
  on(event: 'message', listener: (message: unknown) => void): void;
}

/** A handler's answer, with the buffers to move back (not copy). */
export interface RpcAnswer {
  result: unknown;
  transfer?: readonly ArrayBuffer[];
}

export type RpcHandlers = Record<string, (params: unknown) => Promise<RpcAnswer>>;

/**
 * Serves requests on a worker's port. With `serial`, one request at a time in arrival order
 * (work that blocks the thread anyway, and a close that must not run under a pending call).
 * A reply that cannot be posted is logged, and the worker keeps serving.
 */
export function serveRpc(port: RpcServerPort, handlers: RpcHandlers, options: { serial?: boolean; name?: string } = {}): void {
  const name = options.name ?? 'worker';
  const answer = async (req: RpcRequest): Promise<void> => {
    const handler = Object.hasOwn(handlers, req.method) ? handlers[req.method] : undefined;
    try {
      if (!handler) throw new Error(`unknown method ${JSON.stringify(String(req.method).slice(0, 100))}`);
      const { result, transfer = [] } = await handler(req.params);
      port.postMessage({ id: req.id, ok: true, result } satisfies RpcReply, transfer);
    } catch (err) {
      port.postMessage({ id: req.id, ok: false, error: errorMessage(err) } satisfies RpcReply);
    }
  };
  let queue = Promise.resolve();
  port.on('message', (message) => {
    if (!isRecord(message) || typeof message['id'] !== 'number' || typeof message['method'] !== 'string') return;
    const req = message as unknown as RpcRequest;
    const run = (): Promise<void> => answer(req).catch((err: unknown) => console.error(`[${name}] request ${req.id} (${req.method}) could not be answered:`, err));
    if (options.serial) queue = queue.then(run);
    else void run();
  });
}

/** Sends an event from a worker's side. */
export function sendEvent(port: RpcServerPort, event: string, data: unknown): void {
  port.postMessage({ event, data } satisfies RpcEvent);
}
