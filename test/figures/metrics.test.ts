import { describe, expect, it } from 'vitest';
import { layerFluctuation, linkWeights } from '../../src/core/metrics';
import { createRng } from '../../src/core/random';
import { randomNetwork } from '../core/helpers/random-network';
import { layerFluctuationFigure, linkWeightFigure, strengthVarianceFigure } from '../../src/figures/metrics';

describe('metric figures', () => {
  const net = randomNetwork(createRng(11), { maxLayers: 3, maxWidth: 6 });

  it('link-weight histograms are densities that integrate to 1 per layer', () => {
    const summaries = linkWeights(net, { bins: 7 });
    const spec = linkWeightFigure(summaries);
    expect(spec.data).toHaveLength(net.layers.length);
    spec.data.forEach((trace, l) => {
      const edges = summaries[l].histogram.edges;
      const y = trace.y as number[];
      const area = y.reduce((acc, d, k) => acc + d * (edges[k + 1] - edges[k]), 0);
      expect(area).toBeCloseTo(1, 9);
      expect(trace.name).toContain(`sd ${summaries[l].sd.toPrecision(2)}`);
    });
  });

  it('fluctuation lines carry the values and refuse runs of different depth', () => {
    const values = layerFluctuation(net);
    const spec = layerFluctuationFigure([{ name: 'a', values }]);
    expect(spec.data[0].y).toEqual(values);
    expect(() =>
      layerFluctuationFigure([
        { name: 'a', values: [1, 2] },
        { name: 'b', values: [1] }
      ])
    ).toThrow(/run "b" has 1 layers/);
  });

  it('strength variance pairs before/after boxes per initialization', () => {
    const spec = strengthVarianceFigure([
      { name: 'glorot', before: [1, 2], after: [0.1] },
      { name: 'he', before: [3], after: [0.3, 0.2] }
    ]);
    expect(spec.data[0].x).toEqual(['glorot', 'glorot', 'he']);
    expect(spec.data[0].y).toEqual([1, 2, 3]);
    expect(spec.data[1].x).toEqual(['glorot', 'he', 'he']);
    expect(spec.data[1].y).toEqual([0.1, 0.3, 0.2]);
  });
});
