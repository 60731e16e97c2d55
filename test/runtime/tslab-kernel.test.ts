import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapToPackage, redirectPackageResolution } from '../../src/kernel/tslab-kernel';

describe('tslab launcher: nnmotifs from any folder', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nnmotifs-root-'));
  fs.mkdirSync(path.join(root, 'lib', 'kernel'), { recursive: true });
  fs.writeFileSync(path.join(root, 'package.json'), '{"name":"nnmotifs","types":"lib/kernel/index.d.ts"}');
  fs.writeFileSync(path.join(root, 'lib', 'kernel', 'index.d.ts'), 'export declare const x: number;');
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'notebooks-'));

  it('maps <folder>/node_modules/nnmotifs/… to the package, and nothing else', () => {
    const base = path.join(folder, 'node_modules', 'nnmotifs');
    expect(mapToPackage(base, root)).toBe(root);
    expect(mapToPackage(path.join(base, 'package.json'), root)).toBe(path.join(root, 'package.json'));
    expect(mapToPackage(path.join(folder, 'node_modules', 'nnmotifs-other', 'x.js'), root)).toBeUndefined();
    expect(mapToPackage(path.join(folder, 'node_modules', 'plotly', 'x.js'), root)).toBeUndefined();
  });

  it('lets a real install in the folder win', () => {
    const own = fs.mkdtempSync(path.join(os.tmpdir(), 'project-'));
    fs.mkdirSync(path.join(own, 'node_modules', 'nnmotifs'), { recursive: true });
    expect(mapToPackage(path.join(own, 'node_modules', 'nnmotifs', 'package.json'), root)).toBeUndefined();
  });

  it('answers the host questions TypeScript asks while resolving the import', () => {
    const calls: string[] = [];
    const sys = {
      fileExists: (p: string) => (calls.push(p), fs.existsSync(p) && fs.statSync(p).isFile()),
      directoryExists: (p: string) => fs.existsSync(p) && fs.statSync(p).isDirectory(),
      readFile: (p: string) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined),
      realpath: (p: string) => fs.realpathSync(p)
    };
    redirectPackageResolution(sys, root);
    const pkg = path.join(folder, 'node_modules', 'nnmotifs', 'package.json');
    expect(sys.fileExists(pkg)).toBe(true);
    expect(JSON.parse(sys.readFile(pkg) ?? '{}').types).toBe('lib/kernel/index.d.ts');
    expect(sys.directoryExists(path.join(folder, 'node_modules', 'nnmotifs', 'lib'))).toBe(true);
    expect(sys.realpath(path.join(folder, 'node_modules', 'nnmotifs', 'lib', 'kernel', 'index.d.ts'))).toBe(
      fs.realpathSync(path.join(root, 'lib', 'kernel', 'index.d.ts'))
    );
    // Other paths go through untouched.
    expect(sys.fileExists(path.join(folder, 'x.ts'))).toBe(false);
    expect(calls).toContain(path.join(folder, 'x.ts'));
  });
});
