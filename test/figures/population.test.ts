import { describe, expect, it } from 'vitest';
import { metricByBinFigure, studyProgressFigure, zAcrossSparsityFigure } from '../../src/figures/population';

describe('zAcrossSparsityFigure', () => {
  it('draws one box per motif holding every network’s Z, grouped by level, leaving out undefined Z', () => {
    const rows = [
      { sparsity: 0.9, motif: 'biFan', z: 1 },
      { sparsity: 0.9, motif: 'biFan', z: 3 },
      { sparsity: 0.95, motif: 'biFan', z: 5 },
      { sparsity: 0.9, motif: 'soChain', z: -2 },
      { sparsity: 0.9, motif: 'edges', z: null },
      { sparsity: 0.95, motif: 'soChain', z: null }
    ];
    const f = zAcrossSparsityFigure(rows, { reference: { name: 'paper', sparsity: 0.9, z: { biFan: 19 } } });
    const boxes = f.data.filter(d => d.type === 'box');
    expect(boxes.map(b => b.name)).toEqual(['biFan', 'soChain']);
    expect(boxes[0].x).toEqual(['90 %', '90 %', '95 %']);
    expect(boxes[0].y).toEqual([1, 3, 5]);
    expect(boxes[1].y).toEqual([-2]);
    expect(f.layout.boxmode).toBe('group');
    const ref = f.data.find(d => d.name === 'paper');
    expect(ref?.y).toEqual([19]);
    expect(f.meta.provenance).toMatchObject({ levels: [0.9, 0.95], maxNetworksPerLevel: 2 });
    expect(() => zAcrossSparsityFigure([{ sparsity: 0.5, motif: 'biFan', z: null }])).toThrow(/no rows/);
  });
});

describe('metricByBinFigure', () => {
  it('bins rows by a column into half-open bins (last closed) and drops rows outside', () => {
    const rows = [
      { acc: 0, v: 1 },
      { acc: 0.49, v: 2 },
      { acc: 0.5, v: 3 },
      { acc: 1, v: 4 },
      { acc: 1.2, v: 5 },
      { acc: 0.7, v: null }
    ];
    const f = metricByBinFigure(rows, {
      value: 'v',
      bin: 'acc',
      edges: [0, 0.5, 1],
      xTitle: 'acc',
      yTitle: 'v'
    });
    expect(f.data.map(d => d.y)).toEqual([
      [1, 2],
      [3, 4]
    ]);
    expect(() =>
      metricByBinFigure(rows, { value: 'v', bin: 'acc', edges: [1, 0], xTitle: '', yTitle: '' })
    ).toThrow(/increasing/);
  });
});

describe('studyProgressFigure', () => {
  it('stacks done, failed, running and pending to the total, with the ETA in the title', () => {
    const f = studyProgressFigure({ total: 10, done: 4, failed: 1, running: 2, elapsed: 30, eta: 45 });
    expect(f.data.map(d => (d.x as number[])[0])).toEqual([4, 1, 2, 3]);
    expect(f.meta.title).toMatch(/4\/10 done, 1 failed, 2 running \(30 s, ETA 45 s\)/);
    const finished = studyProgressFigure({ total: 2, done: 2, failed: 0, running: 0, elapsed: 5, eta: 0 });
    expect(finished.meta.title).not.toMatch(/ETA/);
  });
});
