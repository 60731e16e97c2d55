// Child process of bench/run.mjs: census of the dense 784-1000-1000-10 network, with its own peak memory.
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { prunedNetwork, DENSE } from './networks.mjs';

const require = createRequire(import.meta.url);
const { motifCensus } = require('../lib/core/census.js');

const net = prunedNetwork(DENSE, 1, 3);
const t0 = performance.now();
const census = motifCensus(net, { biasNode: true });
const seconds = (performance.now() - t0) / 1000;
const maxRssMB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify({ seconds, maxRssMB, counts: census.counts }) + '\n');
