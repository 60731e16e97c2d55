/**
 * The npm package as a user gets it: `npm pack`, then install the tarball into an empty folder offline
 * (`npm ci --offline` from the npm cache, with a lockfile taken from this repository's production tree),
 * and use it there. No frontend-only package may come along; `import * as nm from "nnmotifs"` must work.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const FRONTEND_ONLY =
  /^(@jupyterlab|@lumino|plotly\.js|plotly\.js-dist-min|sigma|jspdf|svg2pdf\.js|graphology.*)$/;

interface LockEntry {
  dev?: boolean;
  devOptional?: boolean;
  link?: boolean;
}

let app: string;

/** Runs a command without blocking the test worker (vitest's RPC times out on long synchronous calls). */
const run = promisify(execFile);

/** Every package folder below `node_modules` (scoped ones as `@scope/name`), nested ones included. */
function installed(dir: string): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const names = name.startsWith('@') ? readdirSync(join(dir, name)).map(n => `${name}/${n}`) : [name];
    for (const n of names) out.push(n, ...installed(join(dir, n, 'node_modules')));
  }
  return out;
}

beforeAll(async () => {
  // lib/ as the package ships it
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
    {
      cwd: root
    }
  );
  const work = mkdtempSync(join(tmpdir(), 'nnmotifs-pack-'));
  const packed = JSON.parse(
    execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
      cwd: root,
      encoding: 'utf8'
    })
  ) as { filename: string }[];
  const tarball = join(work, packed[0].filename);
  app = join(work, 'app');
  mkdirSync(app);
  // the tarball's own package.json decides its dependencies
  const pkg = JSON.parse(
    execFileSync('tar', ['-xOzf', tarball, 'package/package.json'], { encoding: 'utf8' })
  ) as Record<string, unknown> & { version: string; dependencies: Record<string, string> };
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const spec = `file:${tarball}`;
  const packages: Record<string, unknown> = {
    '': { name: 'app', version: '1.0.0', dependencies: { nnmotifs: spec } },
    'node_modules/nnmotifs': {
      version: pkg.version,
      resolved: spec,
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
      dependencies: pkg.dependencies,
      peerDependencies: pkg.peerDependencies,
      peerDependenciesMeta: pkg.peerDependenciesMeta,
      bin: pkg.bin
    }
  };
  // the production tree of this repository (what `npm install nnmotifs` resolves to), already in the cache
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path.startsWith('node_modules/') && !entry.dev && !entry.devOptional && !entry.link)
      packages[path] = entry;
  }
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'app', version: '1.0.0', private: true, dependencies: { nnmotifs: spec } })
  );
  writeFileSync(
    join(app, 'package-lock.json'),
    JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages })
  );
  // --ignore-scripts: tfjs-node's install script downloads TensorFlow; importing nnmotifs does not need it
  await run(npm, ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: app });
}, 300_000);

describe('npm pack of the kernel package', () => {
  it('installs without any frontend-only package', () => {
    const all = installed(join(app, 'node_modules'));
    expect(all).toContain('nnmotifs');
    expect(all).toContain('@tensorflow/tfjs-node');
    expect(all.filter(name => FRONTEND_ONLY.test(name))).toEqual([]);
  });

  it('imports as import * as nm from "nnmotifs" (ESM and CommonJS) and computes', () => {
    writeFileSync(
      join(app, 'use.mjs'),
      "import * as nm from 'nnmotifs';\n" +
        'const net = nm.createNetwork([{ weights: [[1, -1], [2, 0.5]] }, { weights: [[1], [1]] }]);\n' +
        'console.log(JSON.stringify({ edges: nm.motifCensus(net).counts.edges, figure: nm.figures.nodeStrengthFigure(nm.nodeStrength(net)).meta.kind }));\n'
    );
    const esm = JSON.parse(execFileSync(process.execPath, ['use.mjs'], { cwd: app, encoding: 'utf8' }));
    expect(esm).toEqual({ edges: 6, figure: 'nodeStrength' });
    const cjs = execFileSync(
      process.execPath,
      ['-e', "process.stdout.write(typeof require('nnmotifs').motifs)"],
      {
        cwd: app,
        encoding: 'utf8'
      }
    );
    expect(cjs).toBe('function');
  });

  it('type-checks the import through the exports map', () => {
    writeFileSync(
      join(app, 'use.ts'),
      "import * as nm from 'nnmotifs';\nexport const edges: number = nm.motifCensus(nm.createNetwork([{ weights: [[1]] }])).counts.edges;\n" +
        '// @ts-expect-error internals are not exported\nnm.CensusWorkspace;\n'
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          skipLibCheck: true,
          noEmit: true,
          types: [],
          lib: ['es2022']
        },
        files: ['use.ts']
      })
    );
    const tsc = spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'],
      {
        cwd: app,
        encoding: 'utf8'
      }
    );
    expect(tsc.stdout).toBe('');
    expect(tsc.status).toBe(0);
  }, 60_000);

  it('blocks deep lib/ imports and runs the CLI bin', () => {
    const deep = spawnSync(process.execPath, ['-e', "require('nnmotifs/lib/kernel/train')"], {
      cwd: app,
      encoding: 'utf8'
    });
    expect(deep.stderr).toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
    writeFileSync(
      join(app, 'n.json'),
      '{"format":"nnmotifs.network","version":1,"layers":[{"weights":[[1,2],[3,0]]}]}'
    );
    const bin = join(app, 'node_modules', '.bin', 'nnmotifs');
    const out = execFileSync(bin, ['motifs', 'n.json', '--samples', '0', '--json'], {
      cwd: app,
      encoding: 'utf8'
    });
    expect(JSON.parse(out).counts.edges).toBe(3);
  });
});
