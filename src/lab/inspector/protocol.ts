/**
 * The messages between the Network Inspector and its Web Worker, and the checks of the Motifs form. Plain
 * data only (structured clone): typed arrays, numbers, strings, figure specs.
 *
 * A session: the Inspector sends `open-file` (or `open-view`); for every file the network names (the weight
 * shards of a TF.js `model.json`) the worker asks `need-file` (a path relative to the network's folder,
 * normalised by the core reader, and the most bytes the memory budget leaves) and waits for `file` or
 * `file-failed`; then it answers `opened` with the report, or `open-failed`. Each
 * `motifs` run (numbered by the Inspector) reports `progress` after every chunk and ends with exactly one of
 * `motifs-done`, `motifs-cancelled` (after a `cancel`) or `motifs-failed`.
 */
import type { ChainConvention } from '../../core/census';
import { NULL_MODELS, type NullModel } from '../../core/nulls';
import type { NetworkViewSpec } from '../../figures/network-spec';
import type { InspectorReport, MotifRunOptions, MotifRunResult } from './analysis';

/** Inspector → worker. */
export type InspectorRequest =
  | {
      readonly type: 'open-file';
      readonly name: string;
      readonly bytes: Uint8Array;
      /** Memory budget of the reader in bytes (default 2 GiB). */
      readonly maxMemory?: number;
    }
  | { readonly type: 'open-view'; readonly name: string; readonly spec: NetworkViewSpec }
  | { readonly type: 'file'; readonly request: number; readonly bytes: Uint8Array }
  | { readonly type: 'file-failed'; readonly request: number; readonly message: string }
  | { readonly type: 'motifs'; readonly run: number; readonly options: MotifRunOptions }
  | { readonly type: 'cancel'; readonly run: number };

/** Worker → Inspector. */
export type InspectorResponse =
  | {
      readonly type: 'need-file';
      readonly request: number;
      /** Relative to the folder of the network file, `/`-separated, without `.` or `..`. */
      readonly path: string;
      readonly maxBytes: number;
    }
  | { readonly type: 'opened'; readonly report: InspectorReport }
  | { readonly type: 'open-failed'; readonly message: string }
  | { readonly type: 'progress'; readonly run: number; readonly done: number; readonly total: number }
  | ({ readonly type: 'motifs-done'; readonly run: number } & MotifRunResult)
  | { readonly type: 'motifs-cancelled'; readonly run: number }
  | { readonly type: 'motifs-failed'; readonly run: number; readonly message: string };

/** Chain conventions of the census (see `core/census`). */
export const CHAIN_CONVENTIONS: readonly ChainConvention[] = ['paths', 'pairs'];

/** Most null samples the form accepts (a run of this size takes hours on large networks, not days). */
export const MAX_NULLS = 1_000_000;

/** The Motifs form as typed by the user. */
export interface MotifFormInput {
  readonly samples: string;
  readonly null: string;
  readonly seed: string;
  readonly chain: string;
  readonly biasNode: boolean;
}

/** A checked form, or the field that is wrong and why. */
export type MotifFormResult =
  | { readonly ok: true; readonly options: MotifRunOptions }
  | { readonly ok: false; readonly field: keyof MotifFormInput; readonly error: string };

function integerIn(text: string, min: number, max: number): number | null {
  const trimmed = text.trim();
  if (!/^[+-]?\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value >= min && value <= max ? value : null;
}

/**
 * Checks the Motifs form: nulls an integer in [1, {@link MAX_NULLS}], a null model core offers, a seed that
 * is an integer in [0, 2³²), a chain convention.
 *
 * @example
 * ```ts
 * parseMotifForm({ samples: '1000', null: 'random-pruning', seed: '1', chain: 'paths', biasNode: true });
 * // { ok: true, options: { samples: 1000, null: 'random-pruning', seed: 1, chain: 'paths', biasNode: true } }
 * parseMotifForm({ samples: '0', null: 'random-pruning', seed: '1', chain: 'paths', biasNode: true }).ok; // false
 * ```
 */
export function parseMotifForm(input: MotifFormInput): MotifFormResult {
  const samples = integerIn(input.samples, 1, MAX_NULLS);
  if (samples === null) {
    return { ok: false, field: 'samples', error: `nulls must be a whole number from 1 to ${MAX_NULLS}` };
  }
  if (!(NULL_MODELS as readonly string[]).includes(input.null)) {
    return { ok: false, field: 'null', error: `unknown null model "${input.null}"` };
  }
  const seed = integerIn(input.seed, 0, 2 ** 32 - 1);
  if (seed === null) {
    return { ok: false, field: 'seed', error: 'the seed must be a whole number from 0 to 4294967295' };
  }
  const chain = CHAIN_CONVENTIONS.find(c => c === input.chain);
  if (chain === undefined)
    return { ok: false, field: 'chain', error: `unknown chain convention "${input.chain}"` };
  return {
    ok: true,
    options: { samples, null: input.null as NullModel, seed, chain, biasNode: input.biasNode }
  };
}
