import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HIDDEN, mapToPackage, redirectPackageResolution } from '../../src/kernel/tslab-kernel';

describe('tslab launcher: nnmotifs and its packages from any folder', () => {
  // A checkout: package.json, lib/…, and its node_modules with a scoped and a plain package and @types.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nnmotifs-root-'));
  fs.mkdirSync(path.join(root, 'lib', 'kernel'), { recursive: true });
  fs.writeFileSync(path.join(root, 'package.json'), '{"name":"nnmotifs","types":"lib/kernel/index.d.ts"}');
  fs.writeFileSync(path.join(root, 'lib', 'kernel', 'index.d.ts'), 'export declare const x: number;');
  for (const pkg of ['@tensorflow/tfjs', 'plotly', '@types/node']) {
    fs.mkdirSync(path.join(root, 'node_modules', pkg), { recursive: true });
    fs.writeFileSync(path.join(root, 'node_modules', pkg, 'package.json'), `{"name":"${pkg}"}`);
  }
  const top = path.parse(root).root; // '/'
  const virtual = (...parts: string[]) => path.join(top, 'node_modules', ...parts);
  // The tests need the file-system root to have no node_modules, as on the machines the kernel runs on.
  const rootHasNodeModules = fs.existsSync(virtual());

  it.skipIf(rootHasNodeModules)(
    'serves the checkout as /node_modules/nnmotifs and its packages as /node_modules/<name>',
    () => {
      expect(mapToPackage(virtual(), root)).toBe(path.join(root, 'node_modules'));
      expect(mapToPackage(virtual('nnmotifs'), root)).toBe(root);
      expect(mapToPackage(virtual('nnmotifs', 'package.json'), root)).toBe(path.join(root, 'package.json'));
      expect(mapToPackage(virtual('@tensorflow'), root)).toBe(path.join(root, 'node_modules', '@tensorflow'));
      expect(mapToPackage(virtual('@tensorflow', 'tfjs', 'package.json'), root)).toBe(
        path.join(root, 'node_modules', '@tensorflow', 'tfjs', 'package.json')
      );
      expect(mapToPackage(virtual('plotly', 'x.d.ts'), root)).toBe(
        path.join(root, 'node_modules', 'plotly', 'x.d.ts')
      );
    }
  );

  it.skipIf(rootHasNodeModules)('answers nothing else: other folders, unknown packages, @types', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'notebooks-'));
    // Only the root's node_modules, the last folder a resolution looks in: any real install on the way wins.
    expect(mapToPackage(path.join(folder, 'node_modules', 'nnmotifs', 'package.json'), root)).toBeUndefined();
    expect(mapToPackage(path.join(folder, 'node_modules', 'plotly', 'x.d.ts'), root)).toBeUndefined();
    expect(mapToPackage(virtual('nnmotifs-other', 'x.js'), root)).toBeUndefined();
    expect(mapToPackage(virtual('left-pad', 'package.json'), root)).toBeUndefined();
    // tslab types Node from its own @types unless a type root exists: the checkout's @types stay out.
    expect(mapToPackage(virtual('@types'), root)).toBeUndefined();
    expect(mapToPackage(virtual('@types', 'node', 'package.json'), root)).toBeUndefined();
  });

  it.skipIf(rootHasNodeModules)(
    "hides the packages in nnmotifs' own node_modules: they are found flat",
    () => {
      expect(mapToPackage(virtual('nnmotifs', 'node_modules'), root)).toBe(path.join(root, 'node_modules'));
      expect(mapToPackage(virtual('nnmotifs', 'node_modules', 'plotly'), root)).toBe(HIDDEN);
      expect(
        mapToPackage(virtual('nnmotifs', 'node_modules', '@tensorflow', 'tfjs', 'package.json'), root)
      ).toBe(HIDDEN);
      expect(mapToPackage(virtual('nnmotifs', 'node_modules_x'), root)).toBe(
        path.join(root, 'node_modules_x')
      );
    }
  );

  it.skipIf(rootHasNodeModules)(
    'answers the host questions TypeScript asks, with served paths as their own real paths',
    () => {
      const calls: string[] = [];
      const sys = {
        fileExists: (p: string) => (calls.push(p), fs.existsSync(p) && fs.statSync(p).isFile()),
        directoryExists: (p: string) => fs.existsSync(p) && fs.statSync(p).isDirectory(),
        readFile: (p: string) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined),
        realpath: (p: string) => fs.realpathSync(p)
      };
      redirectPackageResolution(sys, root);
      const pkg = virtual('nnmotifs', 'package.json');
      expect(sys.fileExists(pkg)).toBe(true);
      expect(JSON.parse(sys.readFile(pkg) ?? '{}').types).toBe('lib/kernel/index.d.ts');
      expect(sys.directoryExists(virtual())).toBe(true);
      expect(sys.directoryExists(virtual('nnmotifs', 'lib'))).toBe(true);
      expect(sys.directoryExists(virtual('@tensorflow', 'tfjs'))).toBe(true);
      expect(JSON.parse(sys.readFile(virtual('@tensorflow', 'tfjs', 'package.json')) ?? '{}').name).toBe(
        '@tensorflow/tfjs'
      );
      const dts = virtual('nnmotifs', 'lib', 'kernel', 'index.d.ts');
      expect(sys.realpath(dts)).toBe(dts);
      // The checkout's node_modules is not seen a second time below the package.
      expect(sys.directoryExists(virtual('nnmotifs', 'node_modules', '@tensorflow', 'tfjs'))).toBe(false);
      expect(sys.fileExists(virtual('nnmotifs', 'node_modules', 'plotly', 'package.json'))).toBe(false);
      expect(sys.readFile(virtual('nnmotifs', 'node_modules', 'plotly', 'package.json'))).toBeUndefined();
      expect(sys.directoryExists(virtual('@types'))).toBe(false);
      // Other paths go through untouched.
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'notebooks-'));
      expect(sys.fileExists(path.join(folder, 'x.ts'))).toBe(false);
      expect(calls).toContain(path.join(folder, 'x.ts'));
      expect(sys.realpath(folder)).toBe(fs.realpathSync(folder));
    }
  );

  it.skipIf(rootHasNodeModules)(
    'in a project linked with `npm install <checkout>`: the same flat view',
    () => {
      const project = fs.mkdtempSync(path.join(os.tmpdir(), 'project-'));
      fs.mkdirSync(path.join(project, 'node_modules', 'plotly'), { recursive: true }); // the project's own plotly
      fs.symlinkSync(root, path.join(project, 'node_modules', 'nnmotifs'));
      const linked = (...parts: string[]) => path.join(project, 'node_modules', 'nnmotifs', ...parts);
      // Read through the link as it is, …
      expect(mapToPackage(linked('package.json'), root)).toBeUndefined();
      // … but the checkout's @tensorflow/tfjs is found flat (served in /node_modules), not below the package, …
      expect(mapToPackage(linked('node_modules', '@tensorflow', 'tfjs', 'package.json'), root)).toBe(HIDDEN);
      // … while the project's own plotly is another package: nnmotifs keeps the checkout's, as Node loads it.
      expect(mapToPackage(linked('node_modules', 'plotly', 'package.json'), root)).toBeUndefined();
      const sys = {
        fileExists: (p: string) => fs.existsSync(p) && fs.statSync(p).isFile(),
        directoryExists: (p: string) => fs.existsSync(p) && fs.statSync(p).isDirectory(),
        readFile: (p: string) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined),
        realpath: (p: string) => fs.realpathSync(p)
      };
      redirectPackageResolution(sys, root);
      expect(sys.realpath(linked('lib', 'kernel', 'index.d.ts'))).toBe(linked('lib', 'kernel', 'index.d.ts'));
      expect(sys.fileExists(linked('node_modules', '@tensorflow', 'tfjs', 'package.json'))).toBe(false);
      expect(sys.fileExists(linked('node_modules', 'plotly', 'package.json'))).toBe(true);
    }
  );

  it('leaves the checkout as it is, its own link to itself included', () => {
    fs.symlinkSync(root, path.join(root, 'node_modules', 'nnmotifs'));
    const own = path.join(
      root,
      'node_modules',
      'nnmotifs',
      'node_modules',
      '@tensorflow',
      'tfjs',
      'package.json'
    );
    expect(mapToPackage(own, root)).toBeUndefined();
    expect(mapToPackage(path.join(root, 'node_modules', 'plotly', 'package.json'), root)).toBeUndefined();
    const sys = {
      fileExists: () => true,
      directoryExists: () => true,
      readFile: () => '',
      realpath: fs.realpathSync
    };
    redirectPackageResolution(sys, root);
    expect(sys.realpath(path.join(root, 'node_modules', 'nnmotifs', 'package.json'))).toBe(
      fs.realpathSync(path.join(root, 'package.json'))
    );
  });
});
