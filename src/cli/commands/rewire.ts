/** `nnmotifs rewire FILE -o OUT`: preferential-attachment rewiring, keeping every layer's weights. */
import type { LayeredNetwork } from '../../core/network';
import { paRewire } from '../../core/rewiring';
import { type Command, flag, InputError, intOption, stringOption } from '../command';
import { READ_OPTIONS, readNetwork, writeNetwork } from '../input';

export const rewireCommand: Command = {
  name: 'rewire',
  synopsis: 'FILE -o OUT [--seed S] [--overwrite] [--max-memory SIZE]',
  summary: 'rewire a network by preferential attachment (PA), writing an nnmotifs network file',
  options: {
    output: {
      type: 'string',
      short: 'o',
      value: 'OUT',
      help: 'where to write the rewired network (written atomically)'
    },
    seed: { type: 'string', value: 'S', help: 'seed of the rewiring (default 0)' },
    overwrite: { type: 'boolean', help: 'replace OUT if it exists (default: refuse)' },
    ...READ_OPTIONS
  },
  async run(args, io) {
    const file = args.positionals[0];
    const out = stringOption(args, 'output');
    if (out === undefined) throw new InputError('rewire needs -o OUT', true);
    const seed = intOption(args, 'seed', 0, Number.MIN_SAFE_INTEGER);
    const net = await readNetwork(file, args);
    let rewired: LayeredNetwork;
    try {
      rewired = paRewire(net, { seed });
    } catch (err) {
      if (err instanceof RangeError) throw new InputError(`${file}: ${err.message}`);
      throw err;
    }
    await writeNetwork(rewired, out, flag(args, 'overwrite'));
    io.stderr(`wrote ${out}\n`);
  }
};
