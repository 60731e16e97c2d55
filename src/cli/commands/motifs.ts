/** `nnmotifs motifs FILE`: motif census with Z-scores, p-values and the significance profile. */
import { MOTIF_NAMES, motifCensus } from '../../core/census';
import { NULL_MODELS } from '../../core/nulls';
import { motifSignificanceParallel } from '../../kernel/parallel';
import { type Command, choiceOption, flag, intOption } from '../command';
import { formatNumber } from '../../figures/format';
import { table, toJson } from '../format';
import { READ_OPTIONS, readNetwork } from '../input';

/** Most null samples the CLI draws (the Inspector's limit too): about a day on a large network. */
export const MAX_CLI_NULLS = 1_000_000;
/** Most worker threads. */
export const MAX_CLI_WORKERS = 256;

export const motifsCommand: Command = {
  name: 'motifs',
  synopsis:
    'FILE [--samples N] [--seed S] [--null MODEL] [--chain paths|pairs]\n' +
    '[--bias-node] [--signed] [--keep-dead-ghost] [--workers N] [--json] [--progress]\n' +
    '[--layers A,B,...] [--layer-order A,B,...] [--fold-norm] [--max-memory SIZE]',
  summary: 'motif census with Z-scores and p-values against a null model',
  options: {
    samples: {
      type: 'string',
      value: 'N',
      help: `null-model samples for Z-scores and p-values (default 1000; 0 = counts only; at most ${MAX_CLI_NULLS})`
    },
    nulls: { type: 'string', value: 'N', help: 'old name of --samples', deprecatedFor: 'samples' },
    seed: { type: 'string', value: 'S', help: 'seed of the null samples (default 0)' },
    null: { type: 'string', value: 'MODEL', help: `${NULL_MODELS.join(' | ')} (default random-pruning)` },
    chain: {
      type: 'string',
      value: 'C',
      help: 'paths: count distinct chains (default); pairs: (source, target) pairs joined by a chain'
    },
    'bias-node': { type: 'boolean', help: "count each layer's bias as an extra source node" },
    signed: { type: 'boolean', help: 'also count every motif per edge-sign pattern' },
    'keep-dead-ghost': { type: 'boolean', help: 'do not remove the edges of dead and ghost neurons first' },
    workers: { type: 'string', value: 'N', help: 'worker threads (default: available cores)' },
    progress: { type: 'boolean', help: 'show progress on stderr even when it is not a terminal' },
    json: {
      type: 'boolean',
      help: 'JSON output (keys counts, null.mean, null.sd, z, p, significanceProfile)'
    },
    ...READ_OPTIONS
  },
  async run(args, io) {
    const file = args.positionals[0];
    const samples = intOption(args, 'samples', 1000, 0, MAX_CLI_NULLS);
    const seed = intOption(args, 'seed', 0, Number.MIN_SAFE_INTEGER);
    const workers =
      args.values.workers === undefined ? undefined : intOption(args, 'workers', 1, 1, MAX_CLI_WORKERS);
    const model = choiceOption(args, 'null', NULL_MODELS, 'random-pruning');
    const chain = choiceOption(args, 'chain', ['paths', 'pairs'] as const, 'paths');
    const options = {
      chain,
      biasNode: flag(args, 'bias-node'),
      signed: flag(args, 'signed'),
      pruneDeadGhost: !flag(args, 'keep-dead-ghost')
    } as const;
    const net = await readNetwork(file, args);
    const json = flag(args, 'json');
    if (samples === 0) {
      const census = motifCensus(net, options);
      if (json) io.stdout(toJson({ file, ...census }));
      else {
        io.stdout(`${file}: chain ${chain}, bias node ${options.biasNode ? 'on' : 'off'}\n\n`);
        const counts: Record<string, number> = { ...census.counts, ...(census.signedCounts ?? {}) };
        io.stdout(
          table(
            ['motif', 'count'],
            Object.entries(counts).map(([k, v]) => [k, formatNumber(v)])
          )
        );
      }
      return;
    }
    const showProgress = io.stderrIsTTY || flag(args, 'progress');
    const result = await motifSignificanceParallel(net, {
      ...options,
      null: model,
      samples,
      seed,
      ...(workers === undefined ? {} : { workers }),
      ...(showProgress
        ? { onProgress: (done: number, total: number) => io.stderr(`\rnull samples ${done}/${total}`) }
        : {})
    });
    if (showProgress) io.stderr('\n');
    if (json) {
      io.stdout(toJson({ file, ...result }));
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
          formatNumber(result.counts[k]),
          formatNumber(result.null.mean[k]),
          formatNumber(result.null.sd[k]),
          formatNumber(result.z[k]),
          formatNumber(result.p[k]),
          formatNumber(result.significanceProfile[k])
        ])
      )
    );
    if (keys.length > MOTIF_NAMES.length || Number.isNaN(result.z.edges)) {
      io.stdout('\n— : undefined (the null never varies, e.g. edges, which every null keeps)\n');
    }
  }
};
