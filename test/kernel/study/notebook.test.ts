import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { study, studyResults, tidyStudyResults } from '../../../src/kernel/study/notebook';
import type { StudyProgress } from '../../../src/kernel/study/run';
import type { StudyResultLine } from '../../../src/core/study';
import { networksDir } from './helpers';

describe('nm.study and nm.studyResults', () => {
  it('runs a spec object with progress and reads the results as tidy motif rows', async () => {
    const dir = networksDir(['a.json', 'b.json']);
    const seen: StudyProgress[] = [];
    const s = await study(
      { grid: { network: ['a.json', 'b.json'], seed: [1, 2] }, fixed: { analysis: 'motifs', nulls: 30 } },
      { out: join(dir, 'out'), baseDir: dir, workers: 2, progress: false, onProgress: p => void seen.push(p) }
    );
    expect(s).toMatchObject({ total: 4, done: 4, ran: 4, failed: [] });
    expect(seen[0]).toMatchObject({ total: 4, done: 0, running: 0 });
    expect(seen.some(p => p.running > 0)).toBe(true);
    expect(seen[seen.length - 1]).toMatchObject({ done: 4, running: 0, pending: 0 });
    const r = await s.results();
    expect(r.motifs).toHaveLength(4 * 9);
    const row = r.motifs.find(m => m.motif === 'biFan' && m.network === 'b.json' && m.seed === 2);
    expect(row).toMatchObject({ analysis: 'motifs', nulls: 30, level: null, chain: null });
    expect(typeof row?.count).toBe('number');
    expect(r.motifs.filter(m => m.motif === 'edges').every(m => m.z === null)).toBe(true);
    expect((await studyResults(join(dir, 'out'))).motifs).toEqual(r.motifs);
    await expect(studyResults(join(dir, 'none'))).rejects.toThrow(/no such study folder/);
    expect((await studyResults(dir)).motifs).toEqual([]);
  });

  it('turns pipeline lines into level, motif and metric rows with flattened parameters', () => {
    const line: StudyResultLine = {
      job: 'j1',
      params: { seed: 3, data: { name: 'moth', trajectories: 10 }, model: { sizes: [1, 2] } },
      result: {
        levels: [
          { index: 0, sparsity: 0, layerSparsity: [0], loss: 0.1, batches: 10 },
          {
            index: 1,
            sparsity: 0.9,
            layerSparsity: [0.9],
            loss: 0.2,
            batches: 5,
            metrics: { layerFluctuation: [0.5, null] },
            motifs: {
              pairs: {
                counts: { biFan: 4, edges: 9 },
                z: { biFan: 2.5, edges: null },
                p: { biFan: 0.01, edges: null }
              }
            }
          }
        ],
        optimal: { index: 1, sparsity: 0.9, loss: 0.2, threshold: 0.5 }
      }
    };
    const r = tidyStudyResults([line, { job: 'j2', params: { seed: 4 }, error: 'boom', attempts: 3 }]);
    expect(r.levels.map(l => [l.level, l.sparsity, l.optimal, l.seed, l['data.name']])).toEqual([
      [0, 0, false, 3, 'moth'],
      [1, 0.9, true, 3, 'moth']
    ]);
    expect(r.levels[0]['model.sizes']).toBeUndefined();
    expect(r.motifs).toEqual([
      expect.objectContaining({
        motif: 'biFan',
        count: 4,
        z: 2.5,
        p: 0.01,
        level: 1,
        sparsity: 0.9,
        chain: 'pairs',
        optimal: true
      }),
      expect.objectContaining({ motif: 'edges', count: 9, z: null, p: null })
    ]);
    expect(r.metrics.map(m => [m.layer, m.value, m.sparsity])).toEqual([
      [0, 0.5, 0.9],
      [1, null, 0.9]
    ]);
    expect(r.failed).toEqual([{ job: 'j2', params: { seed: 4 }, error: 'boom' }]);
  });
});
