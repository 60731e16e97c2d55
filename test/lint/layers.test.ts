import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

/** The `no-restricted-imports` messages ESLint gives `code` written at `file` (relative to the root). */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return result.messages.filter(m => m.ruleId === 'no-restricted-imports').map(m => m.message);
}

describe('ESLint layer guard (core <- figures <- kernel <- cli; core, figures <- lab)', () => {
  it('fails on an upward import planted at any depth', async () => {
    const planted: [string, string][] = [
      [
        'src/lab/inspector/planted.ts',
        "import { train } from '../../kernel/train';\nexport const x = train;\n"
      ],
      ['src/lab/planted.ts', "import { train } from '../kernel/train';\nexport const x = train;\n"],
      ['src/lab/export/planted.ts', "import { main } from '../../cli/main';\nexport const x = main;\n"],
      [
        'src/core/formats/planted.ts',
        "import { networkView } from '../../figures/network';\nexport const x = networkView;\n"
      ],
      ['src/core/datasets/planted.ts', "import * as k from '../../kernel';\nexport const x = k;\n"],
      [
        'src/figures/planted.ts',
        "import { loadNetwork } from '../kernel/files';\nexport const x = loadNetwork;\n"
      ],
      ['src/kernel/datasets/planted.ts', "import { main } from '../../cli/main';\nexport const x = main;\n"],
      [
        'src/kernel/planted.ts',
        "import { Inspector } from '../lab/inspector/widget';\nexport const x = Inspector;\n"
      ],
      ['src/cli/commands/planted.ts', "import { x as y } from '../../lab/tokens';\nexport const x = y;\n"]
    ];
    for (const [file, code] of planted) {
      const errors = await layerErrors(file, code);
      expect(errors, `${file}: ${code}`).toHaveLength(1);
    }
  }, 60_000);

  it('allows imports down the layers and within a layer', async () => {
    const allowed: [string, string][] = [
      [
        'src/lab/inspector/planted.ts',
        "import { motifCensus } from '../../core/census';\nexport const x = motifCensus;\n"
      ],
      ['src/lab/planted.ts', "import { PALETTE } from '../figures/spec';\nexport const x = PALETTE;\n"],
      [
        'src/cli/commands/planted.ts',
        "import { loadNetwork } from '../../kernel/files';\nexport const x = loadNetwork;\n"
      ],
      [
        'src/kernel/datasets/planted.ts',
        "import { binaryTree } from '../../core/datasets/zambra';\nexport const x = binaryTree;\n"
      ]
    ];
    for (const [file, code] of allowed) expect(await layerErrors(file, code), file).toEqual([]);
  }, 60_000);
});
