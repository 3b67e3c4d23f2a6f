// Types of bench/hostile-inputs.mjs for the tests that import it.
export function stamp(i: number): string;
export function escapeCursor(n: number): string;
export function escapeInsert(n: number): string;
export function escapeDense(n: number): string;
export function hexGap(n: number): string;
export function unreachables(n: number): string;
export function manyFlows(n: number): string;
export function manyInterfaces(n: number): string;
export function brackets(n: number): string;
export function copies(n: number): string;
export function noise(n: number): string;
export function controls(n: number): string;
export const INJECTIONS: readonly string[];
export function injection(n: number): string;
export function badDates(n: number): string;
export function gzipNewlines(n: number): Buffer;
export const SCALABLE: ReadonlyArray<{ name: string; make: (n: number) => string; n: number }>;
