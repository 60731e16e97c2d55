import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliIO, type Command, InputError, intOption, stringOption } from '../../src/cli/command';
import { COMMANDS } from '../../src/cli/commands/index';
import { toJson } from '../../src/cli/format';
import { main, usage } from '../../src/cli/main';
import { serializeNetwork } from '../../src/core/io';
import { createNetwork } from '../../src/core/validate';

function capture(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: t => void out.push(t), stderr: t => void err.push(t), stderrIsTTY: false };
}

describe('CLI command table', () => {
  it('lists every command of the table in the help, with its declared options', () => {
    const text = usage();
    for (const c of COMMANDS) {
      expect(text).toContain(`nnmotifs ${c.name} `);
      for (const [name, spec] of Object.entries(c.options)) {
        if (spec.deprecatedFor === undefined) expect(text).toContain(`--${name}`);
        else expect(text).not.toContain(`--${name} `);
      }
    }
  });

  it('runs a command added to the table, parsing only the options it declares', async () => {
    const seen: unknown[] = [];
    const echo: Command = {
      name: 'echo',
      synopsis: 'WORD [--times N]',
      summary: 'repeats a word',
      options: {
        times: { type: 'string', value: 'N', help: 'how often' },
        old: { type: 'string', help: 'x', deprecatedFor: 'times' }
      },
      async run(args, io) {
        const n = intOption(args, 'times', 1, 1);
        seen.push(stringOption(args, 'times'));
        if (args.positionals[0] === 'bad') throw new InputError('bad word');
        io.stdout(`${args.positionals[0]} `.repeat(n));
      }
    };
    const io = capture();
    expect(await main(['echo', 'hi', '--times', '3'], io, [echo])).toBe(0);
    expect(io.out.join('')).toBe('hi hi hi ');
    expect(await main(['echo', 'hi', '--old=2'], io, [echo])).toBe(0);
    expect(seen.at(-1)).toBe('2');
    expect(io.err.join('')).toMatch(/--old is deprecated, use --times/);
    const bad = capture();
    expect(await main(['echo', 'hi', '--samples', '3'], bad, [echo])).toBe(2);
    expect(bad.err.join('')).toMatch(/^nnmotifs: unknown option --samples\n/);
    expect(await main(['echo', 'bad'], bad, [echo])).toBe(2);
    expect(bad.err.join('')).toMatch(/nnmotifs: bad word\n$/);
    const help = capture();
    expect(await main(['echo', '--help'], help, [echo])).toBe(0);
    expect(help.out.join('')).toMatch(/Usage: nnmotifs echo WORD \[--times N\]/);
  });

  it('accepts the deprecated --nulls of motifs as --samples, with a note', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnmotifs-cmd-'));
    const file = join(dir, 'net.json');
    writeFileSync(
      file,
      serializeNetwork(
        createNetwork([
          {
            weights: [
              [1, -1],
              [2, 0.5]
            ]
          },
          { weights: [[1], [1]] }
        ])
      )
    );
    const io = capture();
    expect(await main(['motifs', file, '--nulls', '0', '--json'], io)).toBe(0);
    expect(JSON.parse(io.out.join('')).counts.edges).toBe(6);
    expect(io.err.join('')).toBe('nnmotifs: --nulls is deprecated, use --samples\n');
    // bad input under the old name: one line, naming the option as typed, no deprecation note
    const bad = capture();
    expect(await main(['motifs', file, '--nulls', '1e9'], bad)).toBe(2);
    expect(bad.err.join('')).toBe("nnmotifs: --nulls must be a whole number from 0 to 1000000, got '1e9'\n");
    const worse = capture();
    expect(await main(['motifs', file, '--samples', '-3'], worse)).toBe(2);
    expect(worse.err.join('')).toBe(
      "nnmotifs: --samples must be a whole number from 0 to 1000000, got '-3'\n"
    );
  });

  it('writes numbers in text output as the Inspector does: grouped digits, no exponents, U+2212', async () => {
    const file = join(__dirname, '..', '..', 'examples', 'studies', 'networks', 'moth-small-1.json');
    const motifs = capture();
    expect(await main(['motifs', file, '--samples', '20', '--bias-node'], motifs)).toBe(0);
    const metrics = capture();
    expect(await main(['metrics', file], metrics)).toBe(0);
    const text = motifs.out.join('') + metrics.out.join('');
    expect(text).toMatch(/\b\d{1,3},\d{3}\b/); // counts over 1000: 17,253
    expect(text).toMatch(/\u2212\d/); // negative mean strengths
    expect(text).not.toMatch(/\de[+-]\d/); // never 1.067e+5
    expect(text).not.toMatch(/(^|\s)-\d/m); // never a hyphen-minus before a number
  });

  it('writes typed arrays as JSON arrays and NaN as null', () => {
    const text = toJson({
      a: new Float64Array([1, 0.5]),
      b: new Int32Array([3]),
      c: NaN,
      d: [new Uint8Array([1])]
    });
    expect(JSON.parse(text)).toEqual({ a: [1, 0.5], b: [3], c: null, d: [[1]] });
  });
});
