// Types of python-env.mjs for the tests (test/package/lab-defaults.test.ts).
export function writeLabDefaults(prefix: string, external: boolean): void;
