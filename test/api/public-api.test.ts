import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import prettier from 'prettier';
import * as nm from '../../src/kernel/index';
import { documentedNames, publicSurface, rewriteApiDoc, ROOT } from './surface';

const DOC = join(ROOT, 'docs', 'api.md');

describe('public API (import * as nm from "nnmotifs")', () => {
  const surface = publicSurface();

  it('is exactly the list in docs/api.md (change both deliberately)', async () => {
    const markdown = readFileSync(DOC, 'utf8');
    if (process.env.UPDATE_API_DOC === '1') {
      const text = await prettier.format(rewriteApiDoc(markdown, surface), {
        ...(await prettier.resolveConfig(DOC)),
        filepath: DOC
      });
      writeFileSync(DOC, text);
    }
    const documented = documentedNames(readFileSync(DOC, 'utf8'));
    expect(new Set(documented).size).toBe(documented.length);
    expect([...documented].sort()).toEqual(surface.map(s => s.name));
  }, 60_000);

  it('exports at run time every value the types promise, and nothing else', () => {
    const values = surface.filter(s => s.kind !== 'type' && !s.name.includes('.')).map(s => s.name);
    expect(Object.keys(nm).sort()).toEqual(values.sort());
    for (const ns of ['datasets', 'figures', 'render'] as const) {
      const members = surface
        .filter(s => s.kind !== 'type' && s.name.startsWith(`${ns}.`))
        .map(s => s.name.slice(ns.length + 1));
      expect(Object.keys(nm[ns]).sort()).toEqual(members.sort());
    }
    expect(Object.keys(nm.show).sort()).toEqual(
      surface.filter(s => s.name.startsWith('show.')).map(s => s.name.slice(5))
    );
  });

  it('keeps internals internal and every name in one place', () => {
    const names = new Set(surface.map(s => s.name));
    // helpers of the implementation are not public
    for (const internal of [
      'CensusWorkspace',
      'NullSampler',
      'sampleSeed',
      'nullRunOf',
      'figures.escapeXml',
      'mmToPx'
    ])
      expect(names.has(internal)).toBe(false);
    // no name is offered both at the top level and in a sub-namespace
    const top = [...names].filter(n => !n.includes('.'));
    for (const n of names) {
      if (n.includes('.') && !n.startsWith('show.')) expect(top).not.toContain(n.slice(n.indexOf('.') + 1));
    }
  });
});
