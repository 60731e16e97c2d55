import { describe, expect, it } from 'vitest';
import { meanInterval } from '../../src/core/stats';
import {
  groupedDistributionFigure,
  intervalFigure,
  klHeatmapFigure,
  metricVsAccuracyFigure
} from '../../src/figures/studies';

describe('study figures', () => {
  it('grouped distributions: one box per group, n in the label, non-positive values dropped on a log axis', () => {
    const spec = groupedDistributionFigure(
      [
        { name: 'low', values: [1, 2, -1, NaN] },
        { name: 'high', values: new Float64Array([0.5]) }
      ],
      { xTitle: 'Test accuracy bin', yTitle: 'Layer fluctuation (a.u.)', logY: true }
    );
    expect(spec.meta.kind).toBe('groupedDistribution');
    expect(spec.data.map(t => t.name)).toEqual(['low (n = 2)', 'high (n = 1)']);
    expect(spec.data[0].y).toEqual([1, 2]);
    expect((spec.layout.yaxis as { type: string }).type).toBe('log');
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });

  it('KL heatmap: square matrix, NaN shown blank, refuses a wrong shape', () => {
    const spec = klHeatmapFigure(
      ['a', 'b'],
      [
        [0, 1.5],
        [1.5, NaN]
      ],
      { axisTitle: 'Test accuracy bin' }
    );
    expect(spec.meta.kind).toBe('klHeatmap');
    expect(spec.data[0].z).toEqual([
      [0, 1.5],
      [1.5, null]
    ]);
    expect(() => klHeatmapFigure(['a', 'b'], [[0, 1]])).toThrow(/2 × 2/);
  });

  it('metric vs accuracy draws accuracy in percent and checks lengths', () => {
    const spec = metricVsAccuracyFigure([{ name: 'std 0.5', x: [0.5, 0.25], y: [2, 3] }], {
      yTitle: 'Y (a.u.)'
    });
    expect(spec.data[0].x).toEqual([50, 25]);
    expect(spec.data[0].y).toEqual([2, 3]);
    expect(() => metricVsAccuracyFigure([{ name: 'bad', x: [1], y: [] }], { yTitle: 'Y' })).toThrow(
      /1 accuracies but 0 values/
    );
  });

  it('interval figure: series side by side with mean and half-width per category', () => {
    const spec = intervalFigure(
      ['glorot', 'he'],
      [
        {
          name: 'not rewired',
          samples: [
            [0.8, 0.9],
            [0.5, 0.7, 0.6]
          ]
        },
        {
          name: 'PA rewired',
          samples: [
            [0.85, 0.95],
            [0.6, 0.6]
          ]
        }
      ],
      { yTitle: 'Test accuracy (%)', scale: 100 }
    );
    expect(spec.meta.kind).toBe('intervals');
    expect(spec.data).toHaveLength(2);
    const [a, b] = spec.data;
    expect(a.x).toEqual([-0.25, 0.75]);
    expect(b.x).toEqual([0.25, 1.25]);
    expect((a.y as number[])[0]).toBeCloseTo(85, 10);
    expect((a.error_y as { array: number[] }).array[1]).toBeCloseTo(meanInterval([50, 70, 60]).halfWidth, 10);
    expect((b.error_y as { array: number[] }).array[1]).toBe(0);
    expect(() => intervalFigure(['x'], [{ name: 's', samples: [] }], { yTitle: 'y' })).toThrow(/0 samples/);
  });
});
