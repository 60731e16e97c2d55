import { describe, expect, it } from 'vitest';
import { canonicalForm } from '../../src/core/canonical';
import { PALETTE } from '../../src/figures/spec';
import {
  significantClassesFigure,
  subgraphClassLabel,
  subgraphDeltaZFigure
} from '../../src/figures/subgraphs';

type Axis = { title: { text: string } };

// 3-node keys: the chain a → b → c with colour 1, and the same chain with colours 2 then −1.
const CHAIN = canonicalForm(3, [0, 1, 0, 0, 0, 1, 0, 0, 0]).key;
const MIXED = canonicalForm(3, [0, 2, 0, 0, 0, -1, 0, 0, 0]).key;

describe('subgraphClassLabel', () => {
  it('letters nodes by layer and writes each edge with its colour symbol', () => {
    expect(CHAIN).toBe('3:0,0,0,1,1,0');
    expect(subgraphClassLabel(CHAIN)).toBe('1-1-1: a→b+ b→c+');
    expect(subgraphClassLabel(MIXED)).toBe('1-1-1: a→b++ b→c−');
  });

  it('a bi-fan over two layers shows two nodes per layer', () => {
    // nodes 0, 1 sources, 2, 3 targets; every source → target edge strong negative (−2)
    const m = [0, 0, -2, -2, 0, 0, -2, -2, 0, 0, 0, 0, 0, 0, 0, 0];
    expect(subgraphClassLabel(canonicalForm(4, m).key)).toBe('2-2: a→c−− a→d−− b→c−− b→d−−');
    // a diverging node with one mild-positive and one strong-positive child, over three nodes
    const fork = [0, 1, 2, 0, 0, 0, 0, 0, 0];
    expect(subgraphClassLabel(canonicalForm(3, fork).key)).toBe('1-2: a→b+ a→c++');
  });
});

describe('subgraphDeltaZFigure', () => {
  const groups = [
    {
      name: 'normal',
      deltaZ: [
        { [CHAIN]: 1, [MIXED]: -4 },
        { [CHAIN]: 3, [MIXED]: -2 }
      ]
    },
    { name: 'Glorot', deltaZ: [{ [CHAIN]: 0.5, [MIXED]: Infinity }, { [CHAIN]: 0.5 }] }
  ];

  it('draws the mean ΔZ per group with min–max error bars, largest |mean| first', () => {
    const spec = subgraphDeltaZFigure(groups);
    expect(spec.meta.kind).toBe('subgraphDeltaZ');
    expect(spec.meta.exportName).toBe('subgraph-delta-z');
    expect(spec.data.map(t => t.name)).toEqual(['normal', 'Glorot']);
    expect(spec.data[0].x).toEqual([subgraphClassLabel(MIXED), subgraphClassLabel(CHAIN)]);
    expect(spec.data[0].y).toEqual([-3, 2]);
    const err = spec.data[0].error_y as { array: number[]; arrayminus: number[] };
    expect(err.array).toEqual([1, 1]);
    expect(err.arrayminus).toEqual([1, 1]);
    // non-finite and missing ΔZ are left out of the mean; none at all gives a gap (null)
    expect(spec.data[1].y).toEqual([null, 0.5]);
    expect(spec.data.map(t => (t.marker as { color: string }).color)).toEqual([PALETTE[0], PALETTE[1]]);
    const layout = spec.layout as { xaxis: Axis; yaxis: Axis };
    expect(layout.yaxis.title.text).toContain('ΔZ = Z_trained − Z_init');
    expect(layout.xaxis.title.text).toContain('subgraph class');
    expect(spec.meta.provenance.classes).toEqual([MIXED, CHAIN]);
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });

  it('keeps only the given candidates and the top n', () => {
    expect(subgraphDeltaZFigure(groups, { classes: [CHAIN] }).data[0].x).toEqual([subgraphClassLabel(CHAIN)]);
    expect(subgraphDeltaZFigure(groups, { top: 1 }).meta.provenance.classes).toEqual([MIXED]);
    expect(() => subgraphDeltaZFigure([])).toThrow(RangeError);
  });
});

describe('significantClassesFigure', () => {
  it('draws initial and trained counts per group with a chance line', () => {
    const spec = significantClassesFigure(
      [
        { name: 'normal', before: [10, 14], after: [30, 40] },
        { name: 'orthogonal', before: [12, 12], after: [11, 15] }
      ],
      { chance: 18.7 }
    );
    expect(spec.meta.kind).toBe('significantClasses');
    expect(spec.data.map(t => t.name)).toEqual(['initial', 'trained']);
    expect(spec.data[0].x).toEqual(['normal', 'orthogonal']);
    expect(spec.data[0].y).toEqual([12, 12]);
    expect(spec.data[1].y).toEqual([35, 13]);
    const err = spec.data[1].error_y as { array: number[]; arrayminus: number[] };
    expect(err.array).toEqual([5, 2]);
    expect(err.arrayminus).toEqual([5, 2]);
    const shapes = spec.layout.shapes as { y0: number }[];
    expect(shapes[0].y0).toBe(18.7);
    expect((spec.layout as { yaxis: Axis }).yaxis.title.text).toBe(
      'Significant classes (p < 0.05; count per network)'
    );
    expect(spec.meta.provenance.chance).toBe(18.7);
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });

  it('draws no line without a chance level', () => {
    const spec = significantClassesFigure([{ name: 'a', before: [1], after: [2] }]);
    expect(spec.layout.shapes).toEqual([]);
  });
});
