import { describe, expect, it } from 'vitest';
import { defaultLayerNames, nodeStrengthFigure } from '../../src/figures/strength';
import { PALETTE } from '../../src/figures/spec';

describe('nodeStrengthFigure', () => {
  it('draws one box per neuron layer with every strength and the fluctuation in the legend', () => {
    const s = [new Float64Array([1, 3]), new Float64Array([-1, 0, 1]), new Float64Array([5])];
    const spec = nodeStrengthFigure(s);
    expect(spec.version).toBe(1);
    expect(spec.meta.kind).toBe('nodeStrength');
    expect(spec.data).toHaveLength(3);
    expect(spec.data.map(t => t.y)).toEqual([[1, 3], [-1, 0, 1], [5]]);
    // population sd: layer 0 → 1, layer 1 → sqrt(2/3), layer 2 → 0
    expect(spec.data.map(t => t.name)).toEqual([
      'input (Y = 1.00)',
      'hidden 1 (Y = 0.816)',
      'output (Y = 0.00)'
    ]);
    expect(spec.data.map(t => (t.marker as { color: string }).color)).toEqual(PALETTE.slice(0, 3));
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });

  it('names layers and refuses a wrong number of names', () => {
    expect(defaultLayerNames(2)).toEqual(['input', 'output']);
    expect(() => nodeStrengthFigure([new Float64Array(1)], { layerNames: ['a', 'b'] })).toThrow(
      /1 neuron layers but 2/
    );
  });

  it('keeps large layers light: only outliers are drawn as points', () => {
    const spec = nodeStrengthFigure([new Float64Array(10)], { maxPoints: 5 });
    expect(spec.data[0].boxpoints).toBe('outliers');
  });
});
