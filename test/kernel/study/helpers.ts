import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeNetwork } from '../../../src/core/io';
import { createRng } from '../../../src/core/random';

/** A temporary folder with random sparse networks `a.json`, `b.json`, … of the given sizes. */
export function networksDir(names: string[], sizes: number[] = [6, 12, 12, 4], density = 0.4): string {
  const dir = mkdtempSync(join(tmpdir(), 'nnmotifs-study-'));
  names.forEach((name, k) => {
    const rng = createRng(k + 1);
    const layers = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const weights = Float64Array.from({ length: sizes[l] * sizes[l + 1] }, () =>
        rng.next() < density ? rng.normal() : 0
      );
      const bias = Float64Array.from({ length: sizes[l + 1] }, () => rng.normal());
      layers.push({ nIn: sizes[l], nOut: sizes[l + 1], weights, bias });
    }
    writeFileSync(join(dir, name), serializeNetwork({ layers }));
  });
  return dir;
}

/** Writes a spec file into `dir` and returns its path. */
export function writeSpec(dir: string, name: string, spec: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(spec));
  return file;
}

/** The `result`s of a results file, one JSON text per line in file order, with the job ids. */
export function resultsOf(text: string): { job: string; result: string }[] {
  return text
    .trim()
    .split('\n')
    .map(l => JSON.parse(l) as { job: string; result: unknown })
    .map(l => ({ job: l.job, result: JSON.stringify(l.result) }));
}
