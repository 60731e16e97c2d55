import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const here = path.join(__dirname, 'fixtures');

interface Run {
  before: { backend: string; native: boolean; pending?: boolean };
  info: { backend: string; native: boolean; reason?: string; wasmReason?: string; wasm?: { simd: boolean } };
  after: string;
  loss: number[];
}

/** Runs fixtures/backend-run.cjs in a fresh Node (the backend is chosen once per process). */
function run(env: Record<string, string>): { result: Run } {
  const out = execFileSync(
    process.execPath,
    ['--require', path.join(here, 'break-backends.cjs'), path.join(here, 'backend-run.cjs')],
    {
      env: { ...process.env, NNMOTIFS_TF: '', NNMOTIFS_BREAK: '', TF_CPP_MIN_LOG_LEVEL: '2', ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000
    }
  );
  const line = out.trim().split('\n').pop() ?? '';
  return { result: JSON.parse(line) as Run };
}

function learned(r: Run): void {
  expect(r.loss).toHaveLength(3);
  expect(r.loss[2]).toBeLessThan(r.loss[0]);
}

describe('backends in order: native, WebAssembly, pure JS', () => {
  it('runs natively when tfjs-node works', () => {
    const { result } = run({});
    expect(result.info).toMatchObject({ backend: 'tensorflow', native: true });
    expect(result.after).toBe('tensorflow');
    learned(result);
  });

  it('falls back to WebAssembly when the native binding cannot load, and says why', () => {
    const { result } = run({ NNMOTIFS_BREAK: 'native-load' });
    expect(result.before).toMatchObject({ backend: 'cpu', pending: true });
    expect(result.info.backend).toBe('wasm');
    expect(result.info.native).toBe(false);
    expect(result.info.reason).toMatch(/tfjs_binding\.node/);
    expect(typeof result.info.wasm?.simd).toBe('boolean');
    expect(result.after).toBe('wasm');
    learned(result);
  });

  it('falls back to WebAssembly when tfjs-node loads but cannot run ops (unpatched on Node >= 23)', () => {
    const { result } = run({ NNMOTIFS_BREAK: 'native-ops' });
    expect(result.info.backend).toBe('wasm');
    expect(result.info.reason).toMatch(/cannot run ops .*isNullOrUndefined.*npm run setup/);
    expect(result.after).toBe('wasm');
    learned(result);
  });

  it('falls back to pure JS when WebAssembly is missing too, naming both reasons', () => {
    const { result } = run({ NNMOTIFS_BREAK: 'native-load,wasm' });
    expect(result.info).toMatchObject({ backend: 'cpu', native: false });
    expect(result.info.reason).toMatch(/tfjs_binding\.node/);
    expect(result.info.wasmReason).toMatch(/tfjs-backend-wasm/);
    expect(result.after).toBe('cpu');
    learned(result);
  });

  it('NNMOTIFS_TF=wasm and NNMOTIFS_TF=cpu start lower down', () => {
    expect(run({ NNMOTIFS_TF: 'wasm' }).result.info).toMatchObject({
      backend: 'wasm',
      reason: 'NNMOTIFS_TF=wasm is set'
    });
    expect(run({ NNMOTIFS_TF: 'cpu' }).result.info).toMatchObject({
      backend: 'cpu',
      reason: 'NNMOTIFS_TF=cpu is set'
    });
  });
});
