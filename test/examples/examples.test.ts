/**
 * Runnable documentation: every `@example` in `src/` is compiled (one strict TypeScript program) and run,
 * each in a fresh temporary directory. Examples of public names must use `import * as nm from 'nnmotifs'`,
 * and no example may import a deep `nnmotifs/lib/...` path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { allExamples, type Example, exampleModule, usesPublicImport } from './extract';
import { publicSurface, ROOT } from '../api/surface';

const OUT = join(ROOT, '.cache', 'examples');
const ENTRY = join(ROOT, 'src', 'kernel', 'index');
const examples = allExamples(ROOT);
const publicDeclarations = new Set(publicSurface().map(s => `${s.file}#${s.declaredName}`));
const isPublic = (e: Example): boolean => publicDeclarations.has(`${e.file}#${e.symbol}`);
const moduleFile = (e: Example, k: number): string =>
  join(OUT, `${String(k).padStart(3, '0')}_${e.file.replace(/[/.]/g, '_')}_${e.symbol}.ts`);
const where = (e: Example): string => `${e.file}:${e.line} (${e.symbol || 'no declaration'})`;

/** Type errors per generated module. */
const diagnostics = new Map<string, string[]>();

beforeAll(() => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const files = examples.map((e, k) => {
    const file = moduleFile(e, k);
    const source = join(ROOT, e.file);
    writeFileSync(
      file,
      exampleModule(e, ENTRY, source.replace(/\.ts$/, ''), readFileSync(source, 'utf8'), !isPublic(e))
    );
    return file;
  });
  // plotly.js-dist-min ships no types: the lab's declaration gives it plotly.js's
  const program = ts.createProgram([...files, join(ROOT, 'src', 'lab', 'plotly-dist-min.d.ts')], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: ['node'],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true
  });
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = d.file?.fileName ?? '';
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    diagnostics.set(file, [...(diagnostics.get(file) ?? []), `line ${line}: ${text}`]);
  }
}, 120_000);

describe('doc examples', () => {
  it('are found (every @example of src/)', () => {
    expect(examples.length).toBeGreaterThan(150);
  });

  it('never import deep nnmotifs/lib paths', () => {
    expect(examples.filter(e => /nnmotifs\/lib/.test(e.code)).map(where)).toEqual([]);
  });

  it('of public names use import * as nm from "nnmotifs"', () => {
    expect(examples.filter(e => isPublic(e) && !usesPublicImport(e)).map(where)).toEqual([]);
  });

  it('name fixtures that exist (// example: files <fixture> as <name>)', () => {
    const missing = examples.flatMap(e =>
      e.files.filter(f => !existsSync(join(ROOT, f.from))).map(f => `${where(e)}: ${f.from}`)
    );
    expect(missing).toEqual([]);
  });

  it('that only compile are few, each with a reason', () => {
    const compileOnly = examples.filter(e => e.compileOnly !== undefined);
    expect(compileOnly.every(e => e.compileOnly !== '')).toBe(true);
    // The model-file readers (PyTorch, ONNX, Keras, NumPy), the study runner and the browser-side export
    // pipeline merged from main need files, Redis or a page; keep the number from growing further.
    expect(compileOnly.length).toBeLessThanOrEqual(20);
  });
});

describe.each(examples.map((e, k) => ({ e, k, name: where(e) })))('example $name', ({ e, k }) => {
  let dir: string;
  let cwd: string;
  beforeAll(() => {
    cwd = process.cwd();
    dir = mkdtempSync(join(tmpdir(), 'nnmotifs-example-'));
    for (const f of e.files) {
      mkdirSync(dirname(join(dir, f.to)), { recursive: true });
      cpSync(join(ROOT, f.from), join(dir, f.to), { recursive: true });
    }
  });
  afterAll(() => {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('compiles', () => {
    const errors = diagnostics.get(moduleFile(e, k)) ?? [];
    expect(errors, `${where(e)}, compiled as ${moduleFile(e, k)}:\n${errors.join('\n')}`).toEqual([]);
  });

  // lab examples run too when they need no browser; those that draw or use the DOM are compile-only
  it.skipIf(e.compileOnly !== undefined)(
    'runs',
    async () => {
      process.chdir(dir);
      const write = process.stdout.write;
      const log = console.log;
      // shown figures print their text/plain outside a notebook: keep the test log readable
      process.stdout.write = (() => true) as typeof process.stdout.write;
      console.log = () => undefined;
      try {
        const mod = (await import(moduleFile(e, k))) as { default: () => Promise<void> };
        await mod.default();
      } finally {
        process.stdout.write = write;
        console.log = log;
        process.chdir(cwd);
      }
    },
    60_000
  );
});
