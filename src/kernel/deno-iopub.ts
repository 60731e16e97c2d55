/**
 * Keeps displays sent in Deno's Jupyter kernel inside their cell.
 *
 * Deno 2.9's kernel (`deno jupyter`) evaluates a cell on a REPL thread while its main thread speaks the Jupyter
 * protocol. `Deno.jupyter.broadcast` only queues the message for the main thread (it returns nothing to
 * await), and the main thread publishes that queue in a loop of its own, separate from the code that sends the
 * cell's `execute_reply` and its `idle` status. A display queued just before the cell ends can therefore be
 * published after `idle`, and Jupyter clients drop it (nbclient ignores it; the output never reaches the
 * saved notebook). Nothing in the REPL thread's API tells when the queue has been published.
 *
 * So this module watches the kernel's own IOPub channel: a Deno worker connects to it as one more ZMQ SUB
 * subscriber (port from the kernel's connection file) and counts the messages nnmotifs sent, tagged with a
 * sequence number in `transient` (not saved in notebooks). After each display, the sending thread waits
 * (`Atomics.wait`, bounded) until the worker has received it. Deno's IOPub writes every message to its
 * subscribers in connection order, so the frontend, connected before us, has it by then, before `idle`.
 * Where anything of this cannot be had (no `/proc/self/cmdline`, no connection file, the probe never comes
 * back), displays are sent as before, unwatched.
 */
import { readFileSync } from 'node:fs';

/** What the barrier needs of Deno's kernel: its IOPub endpoint. */
export interface IopubEndpoint {
  ip: string;
  port: number;
}

/**
 * The IOPub endpoint of the Deno kernel this process runs, from the `--conn <file>` argument of
 * `deno jupyter --kernel` (read from `/proc/self/cmdline`), or `undefined` when it cannot be found or the
 * environment sets `NNMOTIFS_DENO_IOPUB_WATCH=0` (displays are then sent unwatched). Internal: the display
 * layer calls it; `test/runtime/deno-iopub.test.ts` covers it.
 *
 * @internal
 */
export function kernelIopub(argv?: readonly string[]): IopubEndpoint | undefined {
  if (process.env.NNMOTIFS_DENO_IOPUB_WATCH === '0') return undefined;
  try {
    const args = argv ?? readFileSync('/proc/self/cmdline', 'utf8').split('\0');
    const at = args.indexOf('--conn');
    const file = at >= 0 ? args[at + 1] : args.find(a => a.startsWith('--conn='))?.slice('--conn='.length);
    if (file === undefined) return undefined;
    const info = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (info.transport !== undefined && info.transport !== 'tcp') return undefined;
    if (typeof info.ip !== 'string' || typeof info.iopub_port !== 'number') return undefined;
    return { ip: info.ip === '0.0.0.0' ? '127.0.0.1' : info.ip, port: info.iopub_port };
  } catch {
    return undefined;
  }
}

/**
 * The worker: a minimal ZMTP 3.0 SUB client (NULL mechanism) in plain JavaScript for a Deno web worker. It
 * stores in `shared[0]` its state (0 connecting, 1 subscribed, -1 failed) and in `shared[1]` the highest
 * `transient.nnmotifs_seq` it has received, and wakes waiters on both.
 */
const WORKER_SOURCE = `
const enc = new TextEncoder(), dec = new TextDecoder();
let conn, pending = new Uint8Array(0);
async function take(n) {
  while (pending.length < n) {
    const chunk = new Uint8Array(Math.max(65536, n - pending.length));
    const got = await conn.read(chunk);
    if (got === null) throw new Error("closed");
    const next = new Uint8Array(pending.length + got);
    next.set(pending); next.set(chunk.subarray(0, got), pending.length);
    pending = next;
  }
  const out = pending.slice(0, n);
  pending = pending.subarray(n);
  return out;
}
async function frame() {
  const flags = (await take(1))[0];
  let size;
  if (flags & 2) { const b = await take(8); const v = new DataView(b.buffer); size = v.getUint32(0) * 4294967296 + v.getUint32(4); }
  else size = (await take(1))[0];
  return { more: (flags & 1) !== 0, command: (flags & 4) !== 0, data: await take(size) };
}
async function write(bytes) { let o = 0; while (o < bytes.length) o += await conn.write(bytes.subarray(o)); }
function ready() {
  const name = enc.encode("READY"), key = enc.encode("Socket-Type"), type = enc.encode("SUB");
  const body = new Uint8Array(1 + name.length + 1 + key.length + 4 + type.length);
  let o = 0;
  body[o++] = name.length; body.set(name, o); o += name.length;
  body[o++] = key.length; body.set(key, o); o += key.length;
  new DataView(body.buffer).setUint32(o, type.length); o += 4; body.set(type, o);
  const out = new Uint8Array(2 + body.length);
  out[0] = 4; out[1] = body.length; out.set(body, 2);
  return out;
}
self.onmessage = async ({ data }) => {
  const view = new Int32Array(data.shared);
  const state = s => { Atomics.store(view, 0, s); Atomics.notify(view, 0); };
  try {
    conn = await Deno.connect({ hostname: data.ip, port: data.port });
    const greeting = new Uint8Array(64);
    greeting[0] = 0xff; greeting[9] = 0x7f; greeting[10] = 3; greeting.set(enc.encode("NULL"), 12);
    await write(greeting);
    const peer = await take(64);
    if (peer[0] !== 0xff || peer[9] !== 0x7f) throw new Error("not a ZMTP peer");
    await write(ready());
    for (;;) if ((await frame()).command) break;
    await write(new Uint8Array([0, 1, 1]));
    state(1);
    let parts = [];
    for (;;) {
      const f = await frame();
      if (f.command) continue;
      parts.push(f.data);
      if (f.more) continue;
      const message = parts; parts = [];
      const at = message.findIndex(p => p.length === 9 && dec.decode(p) === "<IDS|MSG>");
      if (at < 0 || message.length < at + 6) continue;
      let seq;
      try { seq = JSON.parse(dec.decode(message[at + 5]))?.transient?.nnmotifs_seq; } catch { continue; }
      if (typeof seq === "number" && seq > Atomics.load(view, 1)) { Atomics.store(view, 1, seq); Atomics.notify(view, 1); }
    }
  } catch {
    state(-1);
  }
};
`;

interface DenoWorker {
  postMessage(message: unknown): void;
  terminate(): void;
}
type DenoWorkerConstructor = new (url: string, options: { type: 'module' }) => DenoWorker;

/**
 * How long the sending thread waits, at most: for the worker to subscribe and a probe to come back (once per
 * kernel), and for one display to come back.
 */
export const IOPUB_WAIT_MS = { subscribe: 5000, probe: 100, message: 2000 } as const;

/** The display id of the probes: an update of a display no output has, which frontends ignore. */
const PROBE_ID = 'nnmotifs-iopub-probe';

/**
 * Sends messages through Deno's kernel and returns once the kernel has published each of them on IOPub (or
 * at once where that cannot be watched). `broadcast` is `Deno.jupyter.broadcast`. The worker starts with the
 * barrier and is checked by the first message.
 */
export class DenoIopubBarrier {
  private readonly view = new Int32Array(new SharedArrayBuffer(8));
  private seq = 0;
  private state: 'starting' | 'watching' | 'off' = 'off';
  private worker: DenoWorker | undefined;

  constructor(
    private readonly broadcast: (msgType: string, content: Record<string, unknown>) => void,
    endpoint: IopubEndpoint | undefined
  ) {
    const WorkerCtor = (globalThis as { Worker?: DenoWorkerConstructor }).Worker;
    if (endpoint === undefined || WorkerCtor === undefined) return;
    try {
      this.worker = new WorkerCtor(`data:text/javascript,${encodeURIComponent(WORKER_SOURCE)}`, {
        type: 'module'
      });
      this.worker.postMessage({ ...endpoint, shared: this.view.buffer });
      this.state = 'starting';
    } catch {
      this.close();
    }
  }

  /** Whether displays are watched; `undefined` until the first message has checked the worker. */
  get watching(): boolean | undefined {
    return this.state === 'starting' ? undefined : this.state === 'watching';
  }

  /** Sends one message and waits until it is on IOPub; false if that is not watched (or was not seen). */
  publish(msgType: string, content: Record<string, unknown>): boolean {
    if (this.state === 'starting') {
      this.state = this.probe() ? 'watching' : 'off';
      if (this.state === 'off') this.close();
    }
    const seq = this.send(msgType, content);
    if (this.state !== 'watching') return false;
    if (this.until(1, seq, IOPUB_WAIT_MS.message)) return true;
    this.state = 'off';
    this.close();
    return false;
  }

  /**
   * Waits for the worker's subscription, then sends probes until one comes back: the kernel registers a
   * subscriber a moment after its handshake, and a message sent before that never reaches it.
   */
  private probe(): boolean {
    const deadline = Date.now() + IOPUB_WAIT_MS.subscribe;
    if (!this.until(0, 1, IOPUB_WAIT_MS.subscribe)) return false;
    while (Date.now() < deadline) {
      const seq = this.send('update_display_data', {
        data: { 'text/plain': '' },
        metadata: {},
        transient: { display_id: PROBE_ID }
      });
      if (this.until(1, seq, Math.min(IOPUB_WAIT_MS.probe, deadline - Date.now()))) return true;
    }
    return false;
  }

  /** Sends one message, tagged with its sequence number while a worker watches (untagged otherwise). */
  private send(msgType: string, content: Record<string, unknown>): number {
    const seq = ++this.seq;
    if (this.worker === undefined) {
      this.broadcast(msgType, content);
    } else {
      const transient = (content.transient ?? {}) as Record<string, unknown>;
      this.broadcast(msgType, { ...content, transient: { ...transient, nnmotifs_seq: seq } });
    }
    return seq;
  }

  /** Waits until `view[index] >= target` (false on timeout, or when the worker failed). */
  private until(index: number, target: number, ms: number): boolean {
    const deadline = Date.now() + ms;
    for (;;) {
      const now = Atomics.load(this.view, index);
      if (now >= target) return true;
      if (Atomics.load(this.view, 0) < 0) return false;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      Atomics.wait(this.view, index, now, Math.min(left, 50));
    }
  }

  private close(): void {
    this.worker?.terminate();
    this.worker = undefined;
  }
}
