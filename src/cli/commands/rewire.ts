/** `nnmotifs rewire FILE -o OUT`: preferential-attachment rewiring, keeping every layer's weights. */
import type { LayeredNetwork } from '../../core/network';
import { paRewire } from '../../core/rewiring';
import { type Command, InputError, intOption, stringOption } from '../command';
import { readNetwork, writeNetwork } from '../input';

export const rewireCommand: Command = {
  name: 'rewire',
  synopsis: 'FILE -o OUT [--seed S]',
  summary: 'rewire a network by preferential attachment (PA), writing an nnmotifs network file',
  options: {
    output: {
      type: 'string',
      short: 'o',
      value: 'OUT',
      help: 'where to write the rewired network (written atomically)'
    },
    seed: { type: 'string', value: 'S', help: 'seed of the rewiring (default 0)' }
  },
  async run(args, io) {
    const file = args.positionals[0];
    const out = stringOption(args, 'output');
    if (out === undefined) throw new InputError('rewire needs -o OUT', true);
    const seed = intOption(args, 'seed', 0, Number.MIN_SAFE_INTEGER);
    const net = await readNetwork(file);
    let rewired: LayeredNetwork;
    try {
      rewired = paRewire(net, { seed });
    } catch (err) {
      if (err instanceof RangeError) throw new InputError(`${file}: ${err.message}`);
      throw err;
    }
    await writeNetwork(rewired, out);
    io.stderr(`wrote ${out}\n`);
  }
};
