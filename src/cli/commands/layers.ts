/** `nnmotifs layers FILE`: the dense layers a weight file holds, what was skipped and why. */
import { NetworkError } from '../../core/validate';
import { listNetworkLayers } from '../../kernel/files';
import { type Command, flag, InputError } from '../command';
import { toJson } from '../format';
import { fileError, MEMORY_OPTIONS, maxMemoryOption } from '../input';

export const layersCommand: Command = {
  name: 'layers',
  synopsis: 'FILE [--json] [--max-memory SIZE]',
  summary: 'the dense layers of a weight file (names for --layers), and what was skipped and why',
  options: {
    json: { type: 'boolean', help: 'JSON output (key layers: name, kind, nIn, nOut, reason)' },
    ...MEMORY_OPTIONS
  },
  async run(args, io) {
    const file = args.positionals[0];
    if (file === undefined) throw new InputError('missing FILE argument', true);
    const maxMemory = maxMemoryOption(args);
    let listing;
    try {
      listing = await listNetworkLayers(file, { maxMemory });
    } catch (err) {
      if (err instanceof NetworkError) throw err;
      throw fileError(file, err, 'read');
    }
    if (flag(args, 'json')) {
      io.stdout(toJson({ file, layers: listing }));
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
};
