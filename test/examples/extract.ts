/**
 * Finds the `@example` blocks of the TSDoc in `src/` and turns each into a TypeScript module that the
 * example test compiles (one program, strict) and runs.
 *
 * Conventions (docs/api.md, "Runnable examples"):
 * - an example of a public name imports the package, `import * as nm from 'nnmotifs'`;
 * - an example of an internal helper runs with the names of its own module in scope (its exports and
 *   its imports); it may also use the public import;
 * - `// example: compile-only, <reason>` in an example: compiled, not run;
 * - `// example: files <fixture> as <name>, ...` in an example: before it runs, each fixture (a file or a
 *   folder, relative to the repository root) is copied to `<name>` in the example's temporary folder, so
 *   an example that reads a file written by another tool (PyTorch, Keras, NumPy) runs on a real one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export interface Example {
  /** Source file, relative to the repository root (`src/core/metrics.ts`). */
  readonly file: string;
  /** 1-based line of the `@example` tag. */
  readonly line: number;
  /** The documented declaration (`linkWeights`), or `''` when none follows the comment. */
  readonly symbol: string;
  /** The example's code, comment stars removed. */
  readonly code: string;
  /** The reason given with `// example: compile-only, <reason>`, or `undefined` when the example runs. */
  readonly compileOnly: string | undefined;
  /** Files copied into the example's folder before it runs (`// example: files <from> as <to>, ...`). */
  readonly files: readonly { readonly from: string; readonly to: string }[];
}

/** Every `.ts` file below `dir`. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out.sort();
}

const DECLARATION =
  /^\s*(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:async\s+)?(?:function\*?|const|let|class|interface|type|enum)\s+([A-Za-z0-9_$]+)/;
const MEMBER = /^\s*(?:readonly\s+|static\s+|async\s+|get\s+|set\s+)*([A-Za-z0-9_$]+)\s*[(:<=?]/;

/** The examples of one source text. */
export function examplesOf(text: string, file: string): Example[] {
  const lines = text.split('\n');
  const out: Example[] = [];
  for (let k = 0; k < lines.length; k++) {
    if (!/^\s*\*\s*@example\b/.test(lines[k])) continue;
    // the fenced block after the tag
    let start = k + 1;
    while (start < lines.length && !/^\s*\*\s*```/.test(lines[start])) start++;
    let end = start + 1;
    while (end < lines.length && !/^\s*\*\s*```/.test(lines[end])) end++;
    const body = lines
      .slice(start + 1, end)
      .map(l => l.replace(/^\s*\* ?/, ''))
      .join('\n');
    // the declaration after the end of the comment
    let close = end;
    while (close < lines.length && !lines[close].includes('*/')) close++;
    let decl = close + 1;
    while (decl < lines.length && (lines[decl].trim() === '' || lines[decl].trim().startsWith('//'))) decl++;
    const m = DECLARATION.exec(lines[decl] ?? '') ?? MEMBER.exec(lines[decl] ?? '');
    const compileOnly = /\/\/\s*example:\s*compile-only,\s*(.+)$/m.exec(body)?.[1].trim();
    const files = (/\/\/\s*example:\s*files\s+(.+)$/m.exec(body)?.[1] ?? '')
      .split(',')
      .map(pair => /^\s*(\S+)\s+as\s+(\S+)\s*$/.exec(pair))
      .filter((p): p is RegExpExecArray => p !== null)
      .map(p => ({ from: p[1], to: p[2] }));
    out.push({ file, line: k + 1, symbol: m?.[1] ?? '', code: body, compileOnly, files });
    k = end;
  }
  return out;
}

/** Every example below `root/src`. */
export function allExamples(root: string): Example[] {
  return sourceFiles(join(root, 'src')).flatMap(path =>
    examplesOf(readFileSync(path, 'utf8'), relative(root, path).split('\\').join('/'))
  );
}

/** The value and type names a module declares with `export` (what an internal example may use bare). */
export function declaredExports(text: string): { values: string[]; types: string[] } {
  const values = new Set<string>();
  const types = new Set<string>();
  for (const m of text.matchAll(
    /^export\s+(?:declare\s+)?(?:async\s+)?(function\*?|const|let|class|interface|type|enum)\s+([A-Za-z0-9_$]+)/gm
  )) {
    if (m[1] === 'interface' || m[1] === 'type') types.add(m[2]);
    else values.add(m[2]);
  }
  return { values: [...values], types: [...types] };
}

/** The local names an import statement binds. */
function importedNames(statement: string): string[] {
  const braces = /\{([^}]*)\}/.exec(statement)?.[1];
  const names = (braces ?? '').split(',').map(
    n =>
      n
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop() ?? ''
  );
  const star = /\*\s+as\s+([A-Za-z0-9_$]+)/.exec(statement)?.[1];
  const plain = /^import\s+([A-Za-z0-9_$]+)/.exec(statement)?.[1];
  return [...names, star ?? '', plain ?? ''].filter(n => n !== '' && n !== 'type');
}

const PUBLIC_IMPORT = /^import \* as nm from ['"]nnmotifs['"];?\s*$/m;

/** Whether the example uses the public import. */
export function usesPublicImport(example: Example): boolean {
  return PUBLIC_IMPORT.test(example.code);
}

/**
 * The module the test compiles and runs: the example's imports at the top (`nnmotifs` mapped to
 * `entry`), the rest inside `export default async function run()`. Examples of internal helpers
 * (`internal`) get the names of `moduleText` (the file they document, at `modulePath`) in scope: its
 * exports and its imports from other modules.
 */
export function exampleModule(
  example: Example,
  entry: string,
  modulePath: string,
  moduleText: string,
  internal: boolean
): string {
  const imports: string[] = [];
  const body: string[] = [];
  const lines = example.code.split('\n');
  for (let k = 0; k < lines.length; k++) {
    if (/^import\s/.test(lines[k])) {
      let statement = lines[k];
      while (!/from\s+['"][^'"]+['"];?\s*$/.test(statement) && k + 1 < lines.length)
        statement += '\n' + lines[++k];
      imports.push(statement.replace(/from\s+['"]nnmotifs['"]/, `from '${entry}'`));
    } else body.push(lines[k]);
  }
  if (internal) {
    const own = new Set(imports.flatMap(importedNames));
    const { values, types } = declaredExports(moduleText);
    const names = [...values, ...types.map(t => `type ${t}`)].filter(n => !own.has(n.replace(/^type /, '')));
    if (names.length > 0) imports.push(`import { ${names.join(', ')} } from '${modulePath}';`);
    // the module's own imports from other modules of src/ are in scope too
    for (const statement of moduleText.matchAll(/^import\s+(type\s+)?\{([^}]*)\}\s+from\s+'(\.[^']+)';/gm)) {
      const kept = statement[2]
        .split(',')
        .map(n => n.trim())
        .filter(
          n =>
            n !== '' &&
            !own.has(
              n
                .replace(/^type\s+/, '')
                .split(/\s+as\s+/)
                .pop() ?? n
            )
        );
      if (kept.length === 0) continue;
      const target = join(dirname(modulePath), statement[3]);
      imports.push(`import ${statement[1] ?? ''}{ ${kept.join(', ')} } from '${target}';`);
    }
  }
  // lab examples are plugin code: the objects a plugin's activate() has are in scope
  const labContext = example.file.startsWith('src/lab/')
    ? "declare const app: import('@jupyterlab/application').JupyterFrontEnd;\n" +
      "declare const translator: import('@jupyterlab/translation').ITranslator;\n" +
      'declare const node: HTMLElement; // a rendered output\n'
    : '';
  return (
    '/* eslint-disable */\n' +
    labContext +
    imports.join('\n') +
    '\n\nexport default async function run(): Promise<void> {\n' +
    body.map(l => '  ' + l).join('\n') +
    '\n}\n'
  );
}
