// Types of build-lib.mjs for the tests that run lib/ (test/cli, test/kernel/threads, test/hostile).
export const root: string;
export function modulesIn(dir: string): string[];
export function ensureLibBuilt(options?: { modules?: string[]; log?: (msg: string) => void }): void;
