/**
 * Shared by the interop tests: fixture access, an independent forward pass, and tiny writers of
 * `.safetensors` / `.npy` bytes for the malformed files the fixtures do not cover.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LayeredNetwork } from '../../../src/core/network';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'interop');

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)));
}

/** What the fixture script stored next to a PyTorch model: inputs and PyTorch's own outputs. */
export interface Expected {
  inputs: number[][];
  outputs: number[][];
  activation: string;
  outputActivation: string;
  layerOrder?: string[];
}

export function expected(name: string): Expected {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.expected.json`), 'utf8')) as Expected;
}

const ACTIVATIONS: Record<string, (z: number) => number> = {
  linear: z => z,
  relu: z => Math.max(0, z),
  tanh: Math.tanh,
  sigmoid: z => 1 / (1 + Math.exp(-z))
};

/**
 * `y = act(x W + b)` layer by layer with the network's `nIn × nOut` weights, masked weights as 0, written
 * out here independently of any code under test. Activations: the given ones, or else each layer's own.
 */
export function forward(
  net: LayeredNetwork,
  x: readonly number[],
  activation?: string,
  outputActivation?: string
): number[] {
  let h = [...x];
  net.layers.forEach((layer, l) => {
    const last = l === net.layers.length - 1;
    const name = (last ? outputActivation : activation) ?? layer.activation ?? 'linear';
    const z: number[] = [];
    for (let j = 0; j < layer.nOut; j++) {
      let sum = layer.bias?.[j] ?? 0;
      for (let i = 0; i < layer.nIn; i++) {
        const k = i * layer.nOut + j;
        if (layer.mask?.[k] !== 0) sum += h[i] * layer.weights[k];
      }
      z.push(sum);
    }
    if (name === 'softmax') {
      const top = Math.max(...z);
      const e = z.map(v => Math.exp(v - top));
      const total = e.reduce((a, b) => a + b, 0);
      h = e.map(v => v / total);
    } else {
      const act = ACTIVATIONS[name];
      if (act === undefined) throw new Error(`test forward(): no activation ${name}`);
      h = z.map(act);
    }
  });
  return h;
}

/** A `.safetensors` file from a header object and a data section, exactly as given (for corrupt cases). */
export function safetensorsBytes(header: unknown, data: Uint8Array = new Uint8Array(0), pad = 0): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header) + ' '.repeat(pad));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** A `.npy` (version 1.0) file from a header dict literal and raw data. */
export function npyBytes(header: string, data: Uint8Array, version = 1): Uint8Array {
  const text = new TextEncoder().encode(header);
  const pre = version === 1 ? 10 : 12;
  const out = new Uint8Array(pre + text.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  out.set(text, pre);
  out.set(data, pre + text.length);
  return out;
}

/** Little-endian float64 bytes. */
export function f64Bytes(values: readonly number[]): Uint8Array {
  return new Uint8Array(Float64Array.from(values).buffer);
}

/** Little-endian float32 bytes. */
export function f32Bytes(values: readonly number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}
