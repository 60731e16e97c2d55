/**
 * The system Chromium that `nm.save`, the benchmarks and the browser tests drive through playwright-core:
 * never downloaded, started headless with the flags a container needs.
 */
import { existsSync } from 'node:fs';

/** Chromium flags for a quiet, sandbox-free headless run (containers run as root). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run'
];

/**
 * The Chromium executable: `NNMOTIFS_CHROMIUM`, else the system's (`/usr/bin/chromium` as Debian installs
 * it, or `chromium-browser`, `google-chrome`).
 *
 * @param who - named in the error, e.g. `nm.save`.
 * @throws Error naming the variable or how to install Chromium when there is none.
 * @example
 * ```ts
 * chromiumExecutable(); // '/usr/bin/chromium' on Debian
 * ```
 */
export function chromiumExecutable(who = 'nnmotifs'): string {
  const fromEnv = process.env.NNMOTIFS_CHROMIUM;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!existsSync(fromEnv)) throw new Error(`${who}: NNMOTIFS_CHROMIUM=${fromEnv} does not exist`);
    return fromEnv;
  }
  const found = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(p =>
    existsSync(p)
  );
  if (found === undefined) {
    throw new Error(
      `${who} needs Chromium and found none: install it (Debian/Ubuntu: apt-get install chromium) or set ` +
        'NNMOTIFS_CHROMIUM to its executable'
    );
  }
  return found;
}

/**
 * Options for playwright-core's `chromium.launch`: the system executable, headless, {@link CHROMIUM_ARGS}.
 *
 * @example
 * ```ts
 * import { chromium } from 'playwright-core';
 * const browser = await chromium.launch(chromiumLaunchOptions());
 * await browser.close();
 * ```
 */
export function chromiumLaunchOptions(who?: string): {
  executablePath: string;
  headless: true;
  args: string[];
} {
  return { executablePath: chromiumExecutable(who), headless: true, args: [...CHROMIUM_ARGS] };
}
