/**
 * Property tests run with a fixed seed so that CI is reproducible; `FC_SEED=random` explores new cases
 * (`npm run test:fuzz` does that with more runs). A failure prints its seed and counterexample either way.
 */
import fc from 'fast-check';

const requested = process.env.FC_SEED;
const seed =
  requested === 'random' ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(requested ?? 20261121);
const numRuns = process.env.FC_RUNS !== undefined ? Number(process.env.FC_RUNS) : undefined;
fc.configureGlobal({ seed, ...(numRuns !== undefined ? { numRuns } : {}) });
