#!/usr/bin/env node
/**
 * The `nnmotifs` command: CNT metrics, motif census with Z-scores, and PA rewiring of network files.
 *
 * Exit codes: 0 success, 2 bad input (usage, missing or malformed file; the message names the file, the
 * layer and the problem), 1 anything else.
 */
import { formatNumber } from '../figures/format';
import { MOTIF_NAMES, motifCensus } from '../core/census';
import { degrees, layerFluctuation, linkWeights, nodeStrength } from '../core/metrics';
import { type LayeredNetwork, layerSizes } from '../core/network';
import { NULL_MODELS, type NullModel } from '../core/nulls';
import { paRewire } from '../core/rewiring';
import { DEFAULT_MAX_MEMORY, formatBytes, parseMemorySize } from '../core/formats/budget';
import { NetworkError } from '../core/validate';
import { motifSignificanceParallel } from '../kernel/parallel';
import { type LoadNetworkOptions, listNetworkLayers, loadNetwork, saveNetwork } from '../kernel/files';

/** Where the CLI writes; replaceable in tests. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress is shown on a terminal or with `--progress`). */
  readonly stderrIsTTY: boolean;
}

const processIO: CliIO = {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true
};

/** Most null samples the CLI draws (the Inspector's limit too): about a day on a large network. */
const MAX_CLI_NULLS = 1_000_000;
/** Most worker threads. */
const MAX_CLI_WORKERS = 256;

/** Bad input: printed without a stack trace, exit code 2. */
class InputError extends Error {}

/** The `--help` text. */
export const USAGE = `nnmotifs — network science for neural networks

Usage:
  nnmotifs metrics FILE [--json] [--max-memory SIZE]
  nnmotifs motifs FILE [--nulls N] [--seed S] [--null MODEL] [--chain paths|pairs]
                       [--bias-node] [--signed] [--keep-dead-ghost] [--workers N] [--json] [--progress]
                       [--max-memory SIZE]
  nnmotifs rewire FILE -o OUT [--seed S] [--overwrite] [--max-memory SIZE]
  nnmotifs layers FILE [--json] [--max-memory SIZE]
  nnmotifs study run SPEC.json --out DIR [--workers N] [--queue redis://HOST:PORT]
  nnmotifs study status DIR
  nnmotifs worker --queue redis://HOST:PORT [--concurrency N]
  nnmotifs --help

FILE is a network: an nnmotifs network file (JSON, format "nnmotifs.network"), a TF.js/Keras
model.json, a PyTorch state_dict saved as .safetensors or .npz, a PyTorch checkpoint (.pt, .pth,
.bin, .ckpt; torch.save, legacy or TorchScript; read as data, never run), an ONNX model (.onnx), or a
Keras model (.keras, .h5, .weights.h5). OUT is always an nnmotifs network file.

weight-file options (every command):
  --layers A,B,...     the linear layers that form the network, first to last (see nnmotifs layers FILE;
                       * matches any characters: 'blocks.0.mlp.*')
  --layer-order A,B,.. the order of all linear layers, when their names do not sort into it
  --fold-norm          fold each BatchNorm into the linear layer before it

reading options (every command):
  --max-memory SIZE  memory the file reader may use, e.g. 512M, 4G (default ${formatBytes(DEFAULT_MAX_MEMORY)});
                     files whose declared sizes need more are refused before anything is allocated

motifs options:
  --nulls N          null-model samples for Z-scores and p-values (default 1000; 0 = counts only;
                     at most ${MAX_CLI_NULLS})
  --seed S           seed of the null samples (default 0)
  --null MODEL       ${NULL_MODELS.join(' | ')} (default random-pruning)
  --chain C          paths: count distinct chains (default); pairs: (source, target) pairs joined by a chain
  --bias-node        count each layer's bias as an extra source node
  --signed           also count every motif per edge-sign pattern
  --keep-dead-ghost  do not remove the edges of dead and ghost neurons first
  --workers N        worker threads (default: available cores)
  --progress         show progress on stderr even when it is not a terminal
  --json             JSON output (keys counts, null.mean, null.sd, z, p, significanceProfile)

study run: runs every job of SPEC.json (a grid of analyses or train-prune pipelines, see docs/studies.md)
  that has no result in DIR/results.jsonl yet, on N local worker processes (default: cores) or, with
  --queue, on the workers of that Redis. Exit 0 when every job has a result, 1 when some failed (listed).
worker: serves the study queue on that Redis (any study), N jobs at a time, until stopped.

rewire options:
  -o, --output OUT   where to write the rewired network (written atomically)
  --seed S           seed of the rewiring (default 0)
  --overwrite        replace OUT if it exists (default: refuse)
`;

interface Parsed {
  readonly positional: string[];
  readonly flags: Map<string, string | true>;
}

const VALUE_FLAGS = new Set([
  '--nulls',
  '--seed',
  '--null',
  '--chain',
  '--workers',
  '--output',
  '-o',
  '--layers',
  '--layer-order',
  '--max-memory',
  '--out',
  '--queue',
  '--concurrency'
]);
const BOOLEAN_FLAGS = new Set([
  '--overwrite',
  '--bias-node',
  '--signed',
  '--keep-dead-ghost',
  '--json',
  '--progress',
  '--fold-norm',
  '--help',
  '-h'
]);

function parseArgs(argv: readonly string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (VALUE_FLAGS.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++k];
      if (value === undefined) throw new InputError(`${name} needs a value`);
      flags.set(name === '-o' ? '--output' : name, value);
    } else if (BOOLEAN_FLAGS.has(name)) {
      flags.set(name === '-h' ? '--help' : name, true);
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new InputError(`unknown option ${arg}`);
    } else {
      positional.push(arg);
    }
  }
  return { positional, flags };
}

/**
 * An integer option in [min, max], written as plain digits (`1e9`, `0x10`, `''` and `2.5` are refused:
 * `Number()` would accept some of them).
 */
function intFlag(p: Parsed, name: string, fallback: number, min: number, max: number): number {
  const v = p.flags.get(name);
  if (v === undefined) return fallback;
  const n = typeof v === 'string' && /^\s*[+-]?\d{1,16}\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new InputError(`${name} must be a whole number from ${min} to ${max}, got '${String(v)}'`);
  }
  return n;
}

/** `--max-memory` in bytes (default 2 GiB). */
function maxMemoryFlag(p: Parsed): number {
  const v = p.flags.get('--max-memory');
  if (v === undefined) return DEFAULT_MAX_MEMORY;
  const bytes = typeof v === 'string' ? parseMemorySize(v) : undefined;
  if (bytes === undefined) {
    throw new InputError(`--max-memory must be a size such as 512M or 4G, got '${String(v)}'`);
  }
  return bytes;
}

/** Turns a file-system error into a message that names the file and what is wrong. */
function fileError(file: string, err: unknown, verb: string): InputError {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'no such file or directory'
      : code === 'EISDIR'
        ? 'is a directory'
        : code === 'EEXIST'
          ? 'exists already'
          : code === 'EACCES'
            ? 'permission denied'
            : String((err as Error).message);
  return new InputError(`cannot ${verb} ${file}: ${why}`);
}

/** `--layers`, `--layer-order`, `--fold-norm`, `--max-memory` as `loadNetwork` options. */
function loadOptions(p: Parsed): LoadNetworkOptions {
  const list = (name: string): string[] | undefined => {
    const v = p.flags.get(name);
    if (v === undefined) return undefined;
    const names = v === true ? [] : v.split(',').map(x => x.trim());
    if (names.length === 0 || names.some(x => x === '')) {
      throw new InputError(`${name} needs comma-separated layer names, e.g. ${name} fc1,fc2,head`);
    }
    return names;
  };
  const layers = list('--layers');
  const layerOrder = list('--layer-order');
  return {
    ...(layers !== undefined ? { layers } : {}),
    ...(layerOrder !== undefined ? { layerOrder } : {}),
    ...(p.flags.has('--fold-norm') ? { foldNorm: true } : {}),
    maxMemory: maxMemoryFlag(p)
  };
}

/** Reads any network format `loadNetwork` knows (network JSON, TF.js, .safetensors, .npz, PyTorch, ONNX, Keras). */
async function readNetwork(file: string | undefined, p: Parsed): Promise<LayeredNetwork> {
  if (file === undefined) throw new InputError('missing FILE argument');
  try {
    return await loadNetwork(file, loadOptions(p));
  } catch (err) {
    if (err instanceof NetworkError) throw err;
    throw fileError(file, err, 'read');
  }
}

/** Numbers in text output: the one format of the Inspector's tables too (never `1.067e+5`). */
const fmt = (x: number): string => formatNumber(x);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map(r => r[c].length)));
  const line = (cells: string[]): string =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), widths.map(w => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n';
}

async function metricsCommand(p: Parsed, io: CliIO): Promise<void> {
  const file = p.positional[1];
  const net = await readNetwork(file, p);
  const sizes = layerSizes(net);
  const weights = linkWeights(net);
  const fluctuation = layerFluctuation(net);
  const strength = nodeStrength(net);
  const deg = degrees(net);
  if (p.flags.has('--json')) {
    const result = {
      file,
      layerSizes: sizes,
      linkWeights: weights,
      nodeStrength: strength.map(s => Array.from(s)),
      layerFluctuation: fluctuation,
      degrees: deg.map(d => ({ in: Array.from(d.in), out: Array.from(d.out) }))
    };
    io.stdout(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  io.stdout(`${file}: neuron layers ${sizes.join('-')}\n\n`);
  io.stdout(
    table(
      ['neuron layer', 'neurons', 'fluctuation', 'mean strength'],
      sizes.map((n, l) => [
        String(l),
        String(n),
        fmt(fluctuation[l]),
        fmt(strength[l].reduce((a, b) => a + b, 0) / Math.max(1, strength[l].length))
      ])
    )
  );
  io.stdout('\n');
  io.stdout(
    table(
      ['weight layer', 'values', 'mean', 'sd', 'min', 'median', 'max'],
      weights.map((w, l) => [
        String(l),
        String(w.count),
        fmt(w.mean),
        fmt(w.sd),
        fmt(w.min),
        fmt(w.quantiles.q50),
        fmt(w.max)
      ])
    )
  );
}

async function motifsCommand(p: Parsed, io: CliIO): Promise<void> {
  const file = p.positional[1];
  const nulls = intFlag(p, '--nulls', 1000, 0, MAX_CLI_NULLS);
  const seed = intFlag(p, '--seed', 0, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const workers = p.flags.has('--workers') ? intFlag(p, '--workers', 1, 1, MAX_CLI_WORKERS) : undefined;
  const model = (p.flags.get('--null') ?? 'random-pruning') as NullModel;
  if (!NULL_MODELS.includes(model))
    throw new InputError(`--null must be one of ${NULL_MODELS.join(', ')}, got '${String(model)}'`);
  const chain = p.flags.get('--chain') ?? 'paths';
  if (chain !== 'paths' && chain !== 'pairs')
    throw new InputError(`--chain must be paths or pairs, got '${String(chain)}'`);
  const options = {
    chain,
    biasNode: p.flags.has('--bias-node'),
    signed: p.flags.has('--signed'),
    pruneDeadGhost: !p.flags.has('--keep-dead-ghost')
  } as const;
  const net = await readNetwork(file, p);
  const json = p.flags.has('--json');
  if (nulls === 0) {
    const census = motifCensus(net, options);
    if (json) io.stdout(JSON.stringify({ file, ...census }, null, 2) + '\n');
    else {
      io.stdout(`${file}: chain ${chain}, bias node ${options.biasNode ? 'on' : 'off'}\n\n`);
      const counts: Record<string, number> = { ...census.counts, ...(census.signedCounts ?? {}) };
      io.stdout(
        table(
          ['motif', 'count'],
          Object.entries(counts).map(([k, v]) => [k, fmt(v)])
        )
      );
    }
    return;
  }
  const showProgress = io.stderrIsTTY || p.flags.has('--progress');
  const result = await motifSignificanceParallel(net, {
    ...options,
    null: model,
    samples: nulls,
    seed,
    ...(workers === undefined ? {} : { workers }),
    ...(showProgress
      ? { onProgress: (done: number, total: number) => io.stderr(`\rnull samples ${done}/${total}`) }
      : {})
  });
  if (showProgress) io.stderr('\n');
  if (json) {
    io.stdout(JSON.stringify({ file, ...result }, null, 2) + '\n');
    return;
  }
  io.stdout(
    `${file}: null ${result.null.model}, ${result.null.samples} samples, seed ${result.null.seed}; ` +
      `chain ${result.chain}; bias node ${result.biasNode ? 'on' : 'off'}\n\n`
  );
  const keys = Object.keys(result.counts);
  io.stdout(
    table(
      ['motif', 'count', 'null mean', 'null sd', 'Z', 'p', 'SP'],
      keys.map(k => [
        k,
        fmt(result.counts[k]),
        fmt(result.null.mean[k]),
        fmt(result.null.sd[k]),
        fmt(result.z[k]),
        fmt(result.p[k]),
        fmt(result.significanceProfile[k])
      ])
    )
  );
  if (keys.length > MOTIF_NAMES.length || Number.isNaN(result.z.edges)) {
    io.stdout('\n— : undefined (the null never varies, e.g. edges, which every null keeps)\n');
  }
}

async function layersCommand(p: Parsed, io: CliIO): Promise<void> {
  const file = p.positional[1];
  if (file === undefined) throw new InputError('missing FILE argument');
  let listing;
  try {
    listing = await listNetworkLayers(file, { maxMemory: maxMemoryFlag(p) });
  } catch (err) {
    if (err instanceof NetworkError) throw err;
    throw fileError(file, err, 'read');
  }
  if (p.flags.has('--json')) {
    io.stdout(JSON.stringify({ file, layers: listing }, null, 2) + '\n');
    return;
  }
  const dense = listing.filter(l => l.kind === 'linear');
  io.stdout(`${file}: ${dense.length} dense layer${dense.length === 1 ? '' : 's'}\n`);
  for (const l of dense)
    io.stdout(`  ${l.name}  ${l.nIn} → ${l.nOut}${l.moduleClass ? `  (${l.moduleClass})` : ''}\n`);
  const skipped = listing.filter(l => l.kind !== 'linear');
  if (skipped.length > 0) {
    io.stdout(`skipped:\n`);
    for (const l of skipped) io.stdout(`  ${l.name}  ${l.reason ?? ''}\n`);
  }
  io.stdout(`choose with --layers ${dense.map(l => l.name).join(',') || 'NAME,...'}\n`);
}

async function rewireCommand(p: Parsed, io: CliIO): Promise<void> {
  const file = p.positional[1];
  const out = p.flags.get('--output');
  if (out === undefined || out === true) throw new InputError('rewire needs -o OUT');
  const seed = intFlag(p, '--seed', 0, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const net = await readNetwork(file, p);
  let rewired: LayeredNetwork;
  try {
    rewired = paRewire(net, { seed });
  } catch (err) {
    if (err instanceof RangeError) throw new InputError(`${file}: ${err.message}`);
    throw err;
  }
  try {
    await saveNetwork(rewired, out, { overwrite: p.flags.has('--overwrite') });
  } catch (err) {
    if (err instanceof NetworkError && /already exists/.test(err.message)) {
      throw new InputError(`${out} exists already; pass --overwrite to replace it`);
    }
    if (err instanceof NetworkError) throw err;
    throw fileError(out, err, 'write');
  }
  io.stderr(`wrote ${out}\n`);
}

/**
 * Runs the CLI with the arguments after `nnmotifs` and returns the exit code.
 *
 * @param argv - arguments, e.g. `['motifs', 'net.json', '--json']`.
 * @param io - output streams (default: the process's).
 * @example
 * ```ts
 * import { main } from 'nnmotifs/lib/cli/main';
 * const code = await main(['motifs', 'net.json', '--nulls', '100', '--json']);
 * ```
 */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  try {
    const p = parseArgs(argv);
    const command = p.positional[0];
    if (p.flags.has('--help') || command === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    if (command === undefined) throw new InputError('missing command');
    if (command === 'metrics') await metricsCommand(p, io);
    else if (command === 'motifs') await motifsCommand(p, io);
    else if (command === 'rewire') await rewireCommand(p, io);
    else if (command === 'layers') await layersCommand(p, io);
    else if (command === 'study' || command === 'worker') {
      const { studyCommand, workerCommand } = await import('./study');
      const flags = (name: string, fallback: number, min: number, max: number): number =>
        intFlag(p, name, fallback, min, max);
      const str = (name: string): string | undefined => {
        const v = p.flags.get(name);
        if (v === true) throw new InputError(`${name} needs a value`);
        return v;
      };
      try {
        if (command === 'worker')
          await workerCommand({ queue: str('--queue'), concurrency: flags('--concurrency', 1, 1, 1024) }, io);
        else
          return await studyCommand(
            {
              sub: p.positional[1],
              target: p.positional[2],
              out: str('--out'),
              queue: str('--queue'),
              workers: p.flags.has('--workers') ? flags('--workers', 1, 1, 1024) : undefined
            },
            io
          );
      } catch (err) {
        if (err instanceof Error && err.name === 'StudySpecError') throw new InputError(err.message);
        throw err;
      }
    } else throw new InputError(`unknown command '${command}'`);
    return 0;
  } catch (err) {
    if (err instanceof InputError || err instanceof NetworkError) {
      io.stderr(
        `nnmotifs: ${err.message}\n${err instanceof InputError && /command|option|needs|missing FILE/.test(err.message) ? 'Try nnmotifs --help\n' : ''}`
      );
      return 2;
    }
    // Not bad input: a bug or the machine (memory, disk). One line for users; the stack on request.
    const debug = typeof process !== 'undefined' && process.env.NNMOTIFS_DEBUG === '1';
    const text = err instanceof Error ? (debug ? (err.stack ?? err.message) : err.message) : String(err);
    io.stderr(
      `nnmotifs: internal error: ${debug ? text : text.split('\n')[0]}` +
        `${debug ? '' : ' (set NNMOTIFS_DEBUG=1 for details)'}\n`
    );
    return 1;
  }
}

if (require.main === module) {
  // `nnmotifs ... | head` closes stdout early: stop quietly instead of crashing with EPIPE.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  main(process.argv.slice(2)).then(
    code => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`nnmotifs: ${String(err)}\n`);
      process.exitCode = 1;
    }
  );
}
