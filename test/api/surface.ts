/**
 * The public surface of `nnmotifs` as TypeScript sees it: every name `import * as nm from 'nnmotifs'`
 * offers (values and types, the sub-namespaces' members as `figures.x`), read from src/kernel/index.ts
 * with the compiler's checker, with the first sentence of each name's TSDoc.
 */
import ts from 'typescript';
import { join, relative, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const ENTRY = join(ROOT, 'src', 'kernel', 'index.ts');

export interface PublicName {
  /** `motifs`, `figures.nodeStrengthFigure`, `show.motifs`. */
  readonly name: string;
  readonly kind: 'value' | 'type' | 'namespace';
  /** First sentence of the TSDoc, or `''`. */
  readonly summary: string;
  /** Where it is declared, relative to the repository root (`src/core/metrics.ts`). */
  readonly file: string;
  /** The name it is declared under there (`getTf` for `tf`). */
  readonly declaredName: string;
}

function declaredIn(symbol: ts.Symbol): string {
  const file = symbol.declarations?.[0]?.getSourceFile().fileName ?? '';
  return relative(ROOT, file).split('\\').join('/');
}

function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const m = /^(.*?[.:])(\s|$)/.exec(flat);
  return (m ? m[1] : flat).replace(/\{@link ([^}|]+)(\|[^}]*)?\}/g, '`$1`');
}

/** Every public name, sorted. */
export function publicSurface(): PublicName[] {
  const program = ts.createProgram([ENTRY], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(ENTRY);
  if (source === undefined) throw new Error(`cannot read ${ENTRY}`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) throw new Error(`${ENTRY} is not a module`);
  const out: PublicName[] = [];
  const visit = (symbols: ts.Symbol[], prefix: string): void => {
    for (const exported of symbols) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const name = prefix + exported.getName();
      const summary = firstSentence(ts.displayPartsToString(symbol.getDocumentationComment(checker)));
      if (symbol.flags & ts.SymbolFlags.ValueModule) {
        out.push({
          name,
          kind: 'namespace',
          summary,
          file: declaredIn(symbol),
          declaredName: symbol.getName()
        });
        visit(checker.getExportsOfModule(symbol), `${name}.`);
      } else if (symbol.flags & ts.SymbolFlags.Value) {
        out.push({ name, kind: 'value', summary, file: declaredIn(symbol), declaredName: symbol.getName() });
        // `show` is an object of functions: its members are public too
        if (exported.getName() === 'show') {
          const type = checker.getTypeOfSymbol(symbol);
          for (const member of type.getProperties()) {
            out.push({
              name: `${name}.${member.getName()}`,
              kind: 'value',
              summary: firstSentence(ts.displayPartsToString(member.getDocumentationComment(checker))),
              file: declaredIn(member),
              declaredName: member.getName()
            });
          }
        }
      } else {
        out.push({ name, kind: 'type', summary, file: declaredIn(symbol), declaredName: symbol.getName() });
      }
    }
  };
  visit(checker.getExportsOfModule(moduleSymbol), '');
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The names listed in docs/api.md (first column of its tables, without `nm.`). */
export function documentedNames(markdown: string): string[] {
  const names: string[] = [];
  for (const line of markdown.split('\n')) {
    const m = /^\|\s*`nm\.([A-Za-z0-9_.]+)`\s*\|/.exec(line);
    if (m) names.push(m[1]);
  }
  return names;
}

const SECTION = '## Top-level functions and values';

/** docs/api.md with its tables rebuilt from `surface` (the text above the tables is kept). */
export function rewriteApiDoc(markdown: string, surface: readonly PublicName[]): string {
  const escape = (s: string): string => s.replace(/\|/g, '\\|') || '—';
  const table = (rows: readonly PublicName[]): string =>
    [
      '| name | what it is |',
      '|---|---|',
      ...rows.map(r => `| \`nm.${r.name}\` | ${escape(r.summary)} |`)
    ].join('\n');
  const top = surface.filter(r => !r.name.includes('.'));
  const sub = (ns: string): PublicName[] => surface.filter(r => r.name.startsWith(`${ns}.`));
  const head = markdown.includes(SECTION) ? markdown.slice(0, markdown.indexOf(SECTION)) : markdown + '\n';
  return (
    head +
    `${SECTION}\n\n${table(top.filter(r => r.kind !== 'type'))}\n\n` +
    `## Types\n\n${table(top.filter(r => r.kind === 'type'))}\n\n` +
    ['datasets', 'figures', 'render', 'show'].map(ns => `## \`nm.${ns}\`\n\n${table(sub(ns))}\n`).join('\n')
  );
}
