/** `nnmotifs metrics FILE`: layer sizes, link-weight summaries, node strength, layer fluctuation, degrees. */
import { degrees, layerFluctuation, linkWeights, nodeStrength } from '../../core/metrics';
import { layerSizes } from '../../core/network';
import { mean } from '../../core/stats';
import { type Command, flag } from '../command';
import { formatNumber } from '../../figures/format';
import { table, toJson } from '../format';
import { READ_OPTIONS, readNetwork } from '../input';

export const metricsCommand: Command = {
  name: 'metrics',
  synopsis: 'FILE [--json] [--layers A,B,...] [--layer-order A,B,...] [--fold-norm] [--max-memory SIZE]',
  summary: 'CNT metrics of a network: link weights, node strength, layer fluctuation, degrees',
  options: {
    json: { type: 'boolean', help: 'JSON output (arrays as JSON arrays)' },
    ...READ_OPTIONS
  },
  async run(args, io) {
    const file = args.positionals[0];
    const net = await readNetwork(file, args);
    const sizes = layerSizes(net);
    const weights = linkWeights(net);
    const fluctuation = layerFluctuation(net);
    const strength = nodeStrength(net);
    if (flag(args, 'json')) {
      const deg = degrees(net);
      io.stdout(
        toJson({
          file,
          layerSizes: sizes,
          linkWeights: weights,
          nodeStrength: strength,
          layerFluctuation: fluctuation,
          degrees: deg.map(d => ({ in: d.in, out: d.out }))
        })
      );
      return;
    }
    io.stdout(`${file}: neuron layers ${sizes.join('-')}\n\n`);
    io.stdout(
      table(
        ['neuron layer', 'neurons', 'fluctuation', 'mean strength'],
        sizes.map((n, l) => [
          String(l),
          String(n),
          formatNumber(fluctuation[l]),
          formatNumber(mean(strength[l]))
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
          formatNumber(w.mean),
          formatNumber(w.sd),
          formatNumber(w.min),
          formatNumber(w.quantiles.q50),
          formatNumber(w.max)
        ])
      )
    );
  }
};
