import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DenoIopubBarrier, kernelIopub } from '../../src/kernel/deno-iopub';
import { denoDisplaysWatched, displayBundle } from '../../src/kernel/display';

const dir = mkdtempSync(join(tmpdir(), 'nnmotifs-iopub-'));
function connectionFile(info: Record<string, unknown>): string {
  const file = join(dir, `kernel-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(info));
  return file;
}
const g = globalThis as { Deno?: unknown };

afterEach(() => {
  delete process.env.NNMOTIFS_DENO_IOPUB_WATCH;
  delete g.Deno;
});

describe('kernelIopub: the IOPub endpoint from `deno jupyter --kernel --conn <file>`', () => {
  const info = { transport: 'tcp', ip: '127.0.0.1', iopub_port: 51234, shell_port: 51235, key: 'k' };

  it('reads the port and address of the connection file named by --conn or --conn=', () => {
    const file = connectionFile(info);
    expect(kernelIopub(['deno', 'jupyter', '--kernel', '--conn', file])).toEqual({
      ip: '127.0.0.1',
      port: 51234
    });
    expect(kernelIopub(['deno', 'jupyter', '--kernel', `--conn=${file}`])).toEqual({
      ip: '127.0.0.1',
      port: 51234
    });
  });

  it('connects to the loopback address where the kernel listens on every interface', () => {
    const file = connectionFile({ ...info, ip: '0.0.0.0' });
    expect(kernelIopub(['deno', '--conn', file])).toEqual({ ip: '127.0.0.1', port: 51234 });
  });

  it('gives undefined without --conn, for a missing or broken file, for ipc, and when switched off', () => {
    expect(kernelIopub(['node', 'script.js'])).toBeUndefined();
    expect(kernelIopub(['deno', '--conn', join(dir, 'missing.json')])).toBeUndefined();
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ not json');
    expect(kernelIopub(['deno', '--conn', broken])).toBeUndefined();
    expect(kernelIopub(['deno', '--conn', connectionFile({ ...info, transport: 'ipc' })])).toBeUndefined();
    expect(kernelIopub(['deno', '--conn', connectionFile({ ...info, iopub_port: '51234' })])).toBeUndefined();
    process.env.NNMOTIFS_DENO_IOPUB_WATCH = '0';
    expect(kernelIopub(['deno', '--conn', connectionFile(info)])).toBeUndefined();
  });

  it('finds nothing in a process that is not a Deno kernel (this test runner)', () => {
    expect(kernelIopub()).toBeUndefined();
  });
});

describe('DenoIopubBarrier where IOPub cannot be watched', () => {
  it('sends every message unchanged, at once, and says it does not watch', () => {
    const sent: [string, Record<string, unknown>][] = [];
    const barrier = new DenoIopubBarrier((t, c) => void sent.push([t, c]), undefined);
    const content = { data: { 'text/plain': 'x' }, metadata: {}, transient: { display_id: 'a' } };
    expect(barrier.publish('display_data', content)).toBe(false);
    expect(barrier.publish('update_display_data', content)).toBe(false);
    expect(sent).toEqual([
      ['display_data', content],
      ['update_display_data', content]
    ]);
    expect(barrier.watching).toBe(false);
  });

  it('does not watch without a Worker (plain Node), even with an endpoint', () => {
    const sent: string[] = [];
    const barrier = new DenoIopubBarrier(t => void sent.push(t), { ip: '127.0.0.1', port: 1 });
    expect(barrier.publish('display_data', { data: {}, metadata: {}, transient: {} })).toBe(false);
    expect(sent).toEqual(['display_data']);
    expect(barrier.watching).toBe(false);
  });

  it('is what a Deno display goes through: outside a kernel process nothing is watched', () => {
    const sent: string[] = [];
    g.Deno = { jupyter: { broadcast: (t: string) => void sent.push(t) } };
    displayBundle({ 'text/plain': 'x' });
    expect(sent).toEqual(['display_data']);
    expect(denoDisplaysWatched()).toBe(false);
  });
});
