// Types of node-compat.mjs for the tests (test/runtime).
export interface RemovedApiUse {
  line: number;
  api: string;
  until: number | 'deprecated';
}
export interface SweepFinding extends RemovedApiUse {
  file: string;
  package: string;
}
export const REMOVED: Record<string, Record<string, number | 'deprecated'>>;
export const UNREACHED: { package: string; api: string; why: string }[];
export const PATCHES: { package: string; version: string; files: Record<string, Record<string, number>> }[];
export function findRemovedApis(text: string): RemovedApiUse[];
export function runtimePackages(): Map<string, string>;
export function sweepRemovedApis(): { packages: number; files: number; findings: SweepFinding[] };
export function applyPatches(root?: string): string;
