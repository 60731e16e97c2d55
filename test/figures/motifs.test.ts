import { describe, expect, it } from 'vitest';
import { motifSignificance } from '../../src/core/significance';
import { createRng } from '../../src/core/random';
import { randomNetwork } from '../core/helpers/random-network';
import {
  MOTIF_LABELS,
  motifCountsFigure,
  motifZScoreFigure,
  significanceProfileFigure,
  stars,
  zVsSparsityFigure
} from '../../src/figures/motifs';
import { PALETTE } from '../../src/figures/spec';

const net = randomNetwork(createRng(5), { maxLayers: 3, maxWidth: 6, density: 0.5 });
const a = motifSignificance(net, { samples: 60, seed: 1 });
const b = motifSignificance(net, { samples: 60, seed: 2 });

describe('motif figures', () => {
  it('stars follow the p thresholds', () => {
    expect([0.0005, 0.005, 0.03, 0.2, NaN].map(stars)).toEqual(['***', '**', '*', '', '']);
  });

  it('Z bars carry the real Z, p stars and the null spread of every shown motif', () => {
    const spec = motifZScoreFigure([{ name: 'net', result: a }]);
    const shown = Object.keys(MOTIF_LABELS).filter(m => Number.isFinite(a.z[m]));
    expect(spec.data).toHaveLength(1);
    const trace = spec.data[0];
    expect(trace.x).toEqual(shown.map(m => MOTIF_LABELS[m]));
    expect(trace.y).toEqual(shown.map(m => a.z[m]));
    expect(trace.text).toEqual(shown.map(m => stars(a.p[m])));
    expect(trace.customdata).toEqual(shown.map(m => [a.counts[m], a.null.mean[m], a.null.sd[m], a.p[m]]));
    // single network: colour by sign
    const colours = (trace.marker as { color: string[] }).color;
    shown.forEach((m, i) => expect(colours[i]).toBe(a.z[m] >= 0 ? PALETTE[0] : PALETTE[1]));
    expect(spec.meta.provenance.samples).toBe(60);
    // the payload survives JSON (NaN would become null, so nothing non-finite may hide in it)
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });

  it('several networks side by side are coloured by network', () => {
    const spec = motifZScoreFigure([
      { name: 'a', result: a },
      { name: 'b', result: b }
    ]);
    expect(spec.data.map(t => t.name)).toEqual(['a', 'b']);
    expect(spec.data.map(t => (t.marker as { color: string }).color)).toEqual([PALETTE[0], PALETTE[1]]);
    expect(spec.layout.barmode).toBe('group');
  });

  it('counts figure puts the null mean ± sd next to the real counts on a log axis', () => {
    const spec = motifCountsFigure({ name: 'net', result: a });
    expect(spec.data[0].y).toEqual(Object.keys(MOTIF_LABELS).map(m => a.null.mean[m]));
    expect((spec.data[0].error_y as { array: number[] }).array).toEqual(
      Object.keys(MOTIF_LABELS).map(m => a.null.sd[m])
    );
    expect(spec.data[1].y).toEqual(Object.keys(MOTIF_LABELS).map(m => a.counts[m]));
  });

  it('significance profile lines are unit-norm over the finite motifs', () => {
    const spec = significanceProfileFigure([{ name: 'net', result: a }]);
    const y = (spec.data[0].y as (number | null)[]).filter((v): v is number => v !== null);
    expect(y.length).toBeGreaterThan(0);
    expect(Math.hypot(...y)).toBeCloseTo(1, 9);
  });

  it('Z vs sparsity draws the median and IQR per level, sorted by sparsity', () => {
    const spec = zVsSparsityFigure([
      { sparsity: 0.9, results: [a, b, a] },
      { sparsity: 0.5, results: [b] }
    ]);
    const m = Object.keys(MOTIF_LABELS).find(k => Number.isFinite(a.z[k]) && Number.isFinite(b.z[k]));
    expect(m).toBeDefined();
    if (m === undefined) return;
    const trace = spec.data.find(t => t.name === MOTIF_LABELS[m]);
    expect(trace?.x).toEqual([50, 90]);
    const sorted = [a.z[m], a.z[m], b.z[m]].sort((x, y) => x - y);
    expect((trace?.y as number[])[0]).toBe(b.z[m]);
    expect((trace?.y as number[])[1]).toBe(sorted[1]);
  });

  it('refuses empty input', () => {
    expect(() => motifZScoreFigure([])).toThrow(/no results/);
    expect(() => zVsSparsityFigure([])).toThrow(/no sparsity levels/);
  });
});
