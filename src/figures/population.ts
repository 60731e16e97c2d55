/**
 * Figures of study populations (many networks per setting, as the papers draw them): motif Z across
 * sparsity as distributions over networks (Zahn et al.), a metric's distribution per bin of another column
 * (La Malfa et al.'s accuracy bins), and the live progress of a running study. Pure: rows in, specs out.
 */
import { figureSpec, type FigureSpec, type JsonObject, PALETTE } from './spec';
import { groupedDistributionFigure, type StudyFigureOptions } from './studies';

/** One network's Z of one motif at one sparsity (a row of `studyResults(out).motifs`). */
export interface SparsityZRow {
  sparsity: number;
  motif: string;
  z: number | null;
}

/**
 * Motif Z across sparsity as distributions over networks: for every sparsity level one box per motif
 * (all networks' Z as points), grouped by level. Rows with an undefined Z (`null`, e.g. `edges`) are left out.
 *
 * @param options - `motifs` to show, in order (default: every motif with a finite Z except `edges`);
 *   `reference` values drawn as black diamonds (e.g. a paper's medians at one level: `{sparsity, z: {motif: value}}`).
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const rows = [{ sparsity: 0.9, motif: 'biFan', z: 12 }, { sparsity: 0.9, motif: 'biFan', z: 15 }];
 * nm.show.figure(nm.figures.zAcrossSparsityFigure(rows));
 * ```
 */
export function zAcrossSparsityFigure(
  rows: readonly SparsityZRow[],
  options: StudyFigureOptions & {
    motifs?: readonly string[];
    reference?: { name: string; sparsity: number; z: Readonly<Record<string, number>> };
  } = {}
): FigureSpec {
  const finite = rows.filter((r): r is SparsityZRow & { z: number } => r.z !== null && Number.isFinite(r.z));
  const motifs = options.motifs ?? [...new Set(finite.map(r => r.motif))].filter(m => m !== 'edges');
  if (motifs.length === 0) throw new RangeError('zAcrossSparsityFigure: no rows with a finite Z');
  const label = (s: number): string =>
    `${Number.isInteger(Math.round(1000 * s) / 10) ? (100 * s).toFixed(0) : (100 * s).toFixed(1)} %`;
  const levels = [...new Set(finite.map(r => r.sparsity))].sort((a, b) => a - b);
  const data: JsonObject[] = motifs.map((motif, k) => {
    const mine = finite.filter(r => r.motif === motif).sort((a, b) => a.sparsity - b.sparsity);
    const colour = PALETTE[k % PALETTE.length];
    return {
      type: 'box',
      name: motif,
      x: mine.map(r => label(r.sparsity)),
      y: mine.map(r => r.z),
      boxpoints: mine.length <= 4000 ? 'all' : 'outliers',
      jitter: 0.3,
      pointpos: 0,
      marker: { color: colour, size: 3, opacity: 0.6 },
      line: { color: colour }
    };
  });
  const ref = options.reference;
  if (ref !== undefined) {
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: ref.name,
      x: motifs.filter(m => ref.z[m] !== undefined).map(() => label(ref.sparsity)),
      y: motifs.filter(m => ref.z[m] !== undefined).map(m => ref.z[m]),
      text: motifs.filter(m => ref.z[m] !== undefined),
      marker: { symbol: 'diamond', color: 'black', size: 8 }
    });
  }
  const perCell = new Map<string, number>();
  for (const r of finite)
    perCell.set(`${r.sparsity}|${r.motif}`, (perCell.get(`${r.sparsity}|${r.motif}`) ?? 0) + 1);
  return figureSpec({
    kind: 'zAcrossSparsity',
    title: options.title ?? 'Motif Z-scores across sparsity (distribution over networks)',
    exportName: options.exportName ?? 'motif-z-across-sparsity',
    data,
    layout: {
      boxmode: 'group',
      xaxis: { title: { text: 'Weights pruned' }, type: 'category', categoryarray: levels.map(label) },
      yaxis: { title: { text: 'Z-score' }, zeroline: true },
      margin: { t: 60, r: 20, b: 70, l: 70 }
    },
    provenance: {
      levels,
      motifs: [...motifs],
      maxNetworksPerLevel: Math.max(0, ...perCell.values()),
      ...options.provenance
    }
  });
}

/**
 * A metric's distribution per bin of another column (e.g. layer fluctuation per test-accuracy bin): the
 * rows are binned by `bin` into `[edges[i], edges[i+1])` (the last bin closed) and drawn with
 * `groupedDistributionFigure`. Rows outside the edges or with a missing value are left out.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const rows = [{ acc: 0.42, fluct: 1.2 }, { acc: 0.91, fluct: 0.4 }];
 * nm.show.figure(nm.figures.metricByBinFigure(rows, { value: 'fluct', bin: 'acc', edges: [0, 0.5, 1],
 *   xTitle: 'Test accuracy bin', yTitle: 'Layer fluctuation (a.u.)' }));
 * ```
 */
export function metricByBinFigure(
  rows: readonly Readonly<Record<string, unknown>>[],
  options: StudyFigureOptions & {
    value: string;
    bin: string;
    edges: readonly number[];
    xTitle: string;
    yTitle: string;
    logY?: boolean;
  }
): FigureSpec {
  const { edges } = options;
  if (edges.length < 2 || edges.some((e, i) => i > 0 && !(e > edges[i - 1])))
    throw new RangeError('metricByBinFigure: edges must be at least two increasing numbers');
  const groups = edges
    .slice(0, -1)
    .map((lo, i) => ({ name: `${lo}–${edges[i + 1]}`, values: [] as number[] }));
  for (const row of rows) {
    const b = row[options.bin];
    const v = row[options.value];
    if (typeof b !== 'number' || typeof v !== 'number' || !Number.isFinite(v)) continue;
    let i = edges.findIndex((e, k) => k + 1 < edges.length && b >= e && b < edges[k + 1]);
    if (i < 0 && b === edges[edges.length - 1]) i = groups.length - 1;
    if (i >= 0) groups[i].values.push(v);
  }
  return groupedDistributionFigure(groups, {
    ...options,
    title: options.title ?? `${options.value} per ${options.bin} bin`,
    exportName: options.exportName ?? `${options.value}-per-${options.bin}`
  });
}

/** What a study progress figure shows. */
export interface StudyProgressCounts {
  total: number;
  done: number;
  failed: number;
  running: number;
  /** Seconds since the run started, and the estimated seconds left. */
  elapsed: number;
  eta?: number;
}

const duration = (s: number): string =>
  s < 90 ? `${s.toFixed(0)} s` : s < 5400 ? `${(s / 60).toFixed(0)} min` : `${(s / 3600).toFixed(1)} h`;

/**
 * The live progress of a study: one stacked bar of done / failed / running / pending jobs, the ETA in the
 * title.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * nm.show.figure(nm.figures.studyProgressFigure({ total: 40, done: 12, failed: 1, running: 2, elapsed: 30, eta: 70 }));
 * ```
 */
export function studyProgressFigure(p: StudyProgressCounts, options: StudyFigureOptions = {}): FigureSpec {
  const pending = Math.max(0, p.total - p.done - p.failed - p.running);
  const parts: [string, number, string][] = [
    ['done', p.done, PALETTE[2 % PALETTE.length]],
    ['failed', p.failed, PALETTE[3 % PALETTE.length]],
    ['running', p.running, PALETTE[1 % PALETTE.length]],
    ['pending', pending, '#d0d0d0']
  ];
  const eta = p.eta !== undefined && p.done + p.failed < p.total ? `, ETA ${duration(p.eta)}` : '';
  return figureSpec({
    kind: 'studyProgress',
    title:
      options.title ??
      `Study: ${p.done}/${p.total} done, ${p.failed} failed, ${p.running} running (${duration(p.elapsed)}${eta})`,
    exportName: options.exportName ?? 'study-progress',
    data: parts.map(([name, n, colour]) => ({
      type: 'bar',
      orientation: 'h',
      name: `${name} (${n})`,
      x: [n],
      y: ['jobs'],
      marker: { color: colour }
    })),
    layout: {
      barmode: 'stack',
      height: 180,
      xaxis: { title: { text: 'Jobs' }, range: [0, Math.max(1, p.total)] },
      yaxis: { showticklabels: false },
      margin: { t: 50, r: 20, b: 50, l: 20 }
    },
    provenance: { ...p, pending, ...options.provenance }
  });
}
