/**
 * Live training progress: in a notebook, a loss/accuracy figure updated in place (one display id) at most
 * every 250 ms and at every epoch end, then a clean final figure; elsewhere one compact line per epoch.
 */
import { trainingCurvesFigure, TrainingCurves } from '../figures/training';
import type { FigureSpec, JsonObject } from '../figures/spec';
import { FigureHandle, inNotebook, showFigure } from './display';

/** What a progress reporter is told at the start of training. */
export interface ProgressStart {
  epochs: number;
  batchesPerEpoch: number;
  /** Loss name with unit, for the axis title. */
  lossLabel: string;
  /** Title of the figure. */
  title: string;
  provenance?: JsonObject;
}

/** How training progress is shown. */
export type ProgressMode = 'figure' | 'text' | 'none';

/** Receives training events; {@link createProgress} makes the standard one. */
export interface ProgressReporter {
  start(info: ProgressStart): void;
  /** After every batch, with the running means of the epoch so far; throttled inside. */
  batch(epoch: number, batch: number, running: { loss: number; acc?: number }): void;
  /** After every epoch, with the history so far. */
  epoch(curves: TrainingCurves, seconds: number): void;
  /** Once, at the end: `status` says why training ended. */
  end(curves: TrainingCurves, status: string): void;
}

/** Minimum time between two in-place figure updates within an epoch. */
const UPDATE_INTERVAL_MS = 250;

const fmt = (v: number | undefined): string =>
  v === undefined || !Number.isFinite(v)
    ? '-'
    : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4
      ? v.toFixed(4)
      : v.toExponential(3);

/**
 * The standard progress reporter: `figure` in a notebook, `text` elsewhere (mode `auto`, the default).
 *
 * @example
 * ```ts
 * const p = createProgress('text');
 * p.start({ epochs: 2, batchesPerEpoch: 10, lossLabel: 'MSE', title: 'demo' });
 * p.epoch({ loss: [0.5] }, 0.1); // prints "epoch 1/2  loss 0.5000  (0.1 s)"
 * ```
 */
export function createProgress(mode: ProgressMode | 'auto' = 'auto'): ProgressReporter {
  const resolved: ProgressMode = mode === 'auto' ? (inNotebook() ? 'figure' : 'text') : mode;
  if (resolved === 'none') return { start() {}, batch() {}, epoch() {}, end() {} };
  let info: ProgressStart | undefined;
  let handle: FigureHandle | undefined;
  let last = 0;
  let curves: TrainingCurves = { loss: [] };
  const figure = (extra: {
    current?: { epoch: number; loss: number; acc?: number };
    title: string;
  }): FigureSpec =>
    trainingCurvesFigure(curves, {
      title: extra.title,
      lossLabel: info?.lossLabel,
      epochs: info?.epochs,
      ...(extra.current !== undefined ? { current: extra.current } : {}),
      ...(info?.provenance !== undefined ? { provenance: info.provenance } : {})
    });
  if (resolved === 'text') {
    return {
      start(i) {
        info = i;
      },
      batch() {},
      epoch(c, seconds) {
        const e = c.loss.length;
        const parts = [`epoch ${e}/${info?.epochs ?? '?'}`, `loss ${fmt(c.loss[e - 1])}`];
        if (c.valLoss?.length) parts.push(`val ${fmt(c.valLoss[e - 1])}`);
        if (c.acc?.length) parts.push(`acc ${fmt(c.acc[e - 1])}`);
        if (c.valAcc?.length) parts.push(`val acc ${fmt(c.valAcc[e - 1])}`);
        console.log(`${parts.join('  ')}  (${seconds.toFixed(1)} s)`);
      },
      end(_c, status) {
        if (status !== 'finished') console.log(`training ${status}`);
      }
    };
  }
  return {
    start(i) {
      info = i;
      curves = { loss: [] };
      last = Date.now();
      handle = showFigure(figure({ title: `${i.title}: starting…` }));
    },
    batch(epoch, batch, running) {
      const now = Date.now();
      if (handle === undefined || now - last < UPDATE_INTERVAL_MS) return;
      last = now;
      const total = info?.batchesPerEpoch ?? 1;
      handle.update(
        figure({
          title: `${info?.title ?? 'Training'}: epoch ${epoch + 1}/${info?.epochs ?? '?'}, batch ${batch + 1}/${total}`,
          current: { epoch: epoch + (batch + 1) / total, loss: running.loss, acc: running.acc }
        })
      );
    },
    epoch(c) {
      curves = c;
      last = Date.now();
      handle?.update(
        figure({ title: `${info?.title ?? 'Training'}: epoch ${c.loss.length}/${info?.epochs ?? '?'}` })
      );
    },
    end(c, status) {
      curves = c;
      const suffix = status === 'finished' ? '' : ` (${status})`;
      handle?.update(figure({ title: `${info?.title ?? 'Training'}: ${c.loss.length} epochs${suffix}` }));
    }
  };
}
