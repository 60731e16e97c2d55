/**
 * The JupyterLab defaults the set-up writes into the environment it installs into (no news prompt, no
 * update check): merged into `overrides.json`, never over a user's own keys, and only where allowed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeLabDefaults } from '../../scripts/support/python-env.mjs';

const PLUGIN = '@jupyterlab/apputils-extension:notification';
const overridesOf = (prefix: string): string =>
  join(prefix, 'share', 'jupyter', 'lab', 'settings', 'overrides.json');
const made: string[] = [];
const prefix = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'nnmotifs-lab-defaults-'));
  made.push(dir);
  return dir;
};

afterEach(() => {
  delete process.env.NNMOTIFS_LAB_DEFAULTS;
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('writeLabDefaults', () => {
  it('turns the news prompt and the update check off in the project environment', () => {
    const p = prefix();
    writeLabDefaults(p, false);
    const written = JSON.parse(readFileSync(overridesOf(p), 'utf8')) as Record<string, unknown>;
    expect(written[PLUGIN]).toEqual({ fetchNews: 'false', checkForUpdates: false });
  });

  it("keeps a user's own keys and other plugins' overrides", () => {
    const p = prefix();
    const file = overridesOf(p);
    mkdirSync(dirname(file), { recursive: true });
    const theirs = {
      '@jupyterlab/apputils-extension:themes': { theme: 'JupyterLab Dark' },
      [PLUGIN]: { fetchNews: 'true' }
    };
    writeFileSync(file, JSON.stringify(theirs));
    writeLabDefaults(p, false);
    const written = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(written['@jupyterlab/apputils-extension:themes']).toEqual({ theme: 'JupyterLab Dark' });
    expect(written[PLUGIN]).toEqual({ fetchNews: 'true', checkForUpdates: false });
  });

  it('leaves an existing environment alone unless asked (Binder asks)', () => {
    const p = prefix();
    writeLabDefaults(p, true);
    expect(existsSync(overridesOf(p))).toBe(false);
    process.env.NNMOTIFS_LAB_DEFAULTS = '1';
    writeLabDefaults(p, true);
    expect(existsSync(overridesOf(p))).toBe(true);
  });

  it('does not touch an overrides file that is not JSON', () => {
    const p = prefix();
    const file = overridesOf(p);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '{ not json');
    writeLabDefaults(p, false);
    expect(readFileSync(file, 'utf8')).toBe('{ not json');
  });
});
