import { describe, expect, it } from 'vitest';
import { PALETTE } from '../../src/figures/spec';
import { pruningCurveFigure, sparsityPerLayerFigure, trainingCurvesFigure } from '../../src/figures/training';

type Axis = { title: { text: string }; type?: string; range?: number[] };

describe('trainingCurvesFigure', () => {
  it('draws training and validation loss per epoch on a log axis, with units and default export name', () => {
    const spec = trainingCurvesFigure(
      { loss: [0.9, 0.5, 0.3], valLoss: [1, 0.6, 0.45] },
      { lossLabel: 'MSE' }
    );
    expect(spec.meta.kind).toBe('trainingCurves');
    expect(spec.meta.exportName).toBe('training-curves');
    expect(spec.data.map(t => t.name)).toEqual(['training loss', 'validation loss']);
    expect(spec.data[0].x).toEqual([1, 2, 3]);
    expect(spec.data[1].y).toEqual([1, 0.6, 0.45]);
    expect((spec.data[0].line as { color: string }).color).toBe(PALETTE[0]);
    const layout = spec.layout as { xaxis: Axis; yaxis: Axis; xaxis2?: Axis };
    expect(layout.xaxis.title.text).toBe('epoch');
    expect(layout.yaxis.title.text).toBe('MSE');
    expect(layout.yaxis.type).toBe('log');
    expect(layout.xaxis2).toBeUndefined();
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });

  it('adds an accuracy panel in %, a running point for the epoch in progress, and a fixed epoch range', () => {
    const spec = trainingCurvesFigure(
      { loss: [0.7], valLoss: [0.8], acc: [0.6], valAcc: [0.55] },
      { current: { epoch: 1.5, loss: 0.6, acc: 0.7 }, epochs: 10 }
    );
    const acc = spec.data.find(t => t.name === 'validation accuracy');
    expect(acc?.y).toEqual([55.00000000000001]);
    expect(acc?.xaxis).toBe('x2');
    const running = spec.data.filter(t => String(t.name).startsWith('current epoch'));
    expect(running.map(t => [t.x, t.y])).toEqual([
      [[1.5], [0.6]],
      [[1.5], [70]]
    ]);
    const layout = spec.layout as { xaxis: Axis; yaxis2: Axis };
    expect(layout.xaxis.range).toEqual([0.5, 10.5]);
    expect(layout.yaxis2.title.text).toBe('accuracy (%)');
  });

  it('writes NaN losses as gaps (null), which JSON can carry', () => {
    const spec = trainingCurvesFigure({ loss: [1, NaN, 0.5] });
    expect(spec.data[0].y).toEqual([1, null, 0.5]);
  });
});

describe('pruningCurveFigure', () => {
  it('plots loss vs % pruned per run and stars the last level at or under the threshold', () => {
    const spec = pruningCurveFigure(
      [
        { name: 'net A', sparsity: [0, 0.5, 0.9, 0.95], loss: [1e-4, 5e-4, 1e-3, 4e-3] },
        { sparsity: [0, 0.5], loss: [2e-3, 3e-3] }
      ],
      { threshold: 1e-3 }
    );
    expect(spec.meta.exportName).toBe('pruning-curve');
    expect(spec.data[0].x).toEqual([0, 50, 90, 95]);
    const star = spec.data.find(t => String(t.name).startsWith('net A: optimally sparse'));
    expect(star?.x).toEqual([90]);
    expect(spec.data.some(t => String(t.name).startsWith('run 2: optimally'))).toBe(false);
    const layout = spec.layout as { xaxis: Axis; yaxis: Axis; shapes: { y0: number }[] };
    expect(layout.xaxis.title.text).toBe('sparsity (% of weights pruned)');
    expect(layout.yaxis.type).toBe('log');
    expect(layout.shapes[0].y0).toBe(1e-3);
    expect(() => pruningCurveFigure([{ sparsity: [0], loss: [] }])).toThrow(/1 sparsity levels but 0 losses/);
  });
});

describe('sparsityPerLayerFigure', () => {
  it('one line per weight layer across levels, in %, named after the neuron layers', () => {
    const spec = sparsityPerLayerFigure(
      [
        [0.5, 0.5],
        [0.9, 0.88]
      ],
      { levels: [0.5, 0.9] }
    );
    expect(spec.data.map(t => t.name)).toEqual(['input → hidden 1', 'hidden 1 → output']);
    expect(spec.data[1].y).toEqual([50, 88]);
    expect(spec.data[0].x).toEqual([50, 90]);
    expect((spec.layout as { yaxis: Axis }).yaxis.title.text).toBe('pruned weights in the layer (%)');
  });
  it('bars for a single network; mismatched rows are refused', () => {
    const spec = sparsityPerLayerFigure([[0.25, 0.75, 0.5]]);
    expect(spec.data).toHaveLength(1);
    expect(spec.data[0].type).toBe('bar');
    expect(spec.data[0].y).toEqual([25, 75, 50]);
    expect(() => sparsityPerLayerFigure([[0.1], [0.1, 0.2]])).toThrow(/level 1 has 2 layers/);
  });
});
