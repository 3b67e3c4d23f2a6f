/** Types of test/setup/build.mjs (jest's globalSetup, a plain script). */
export declare const OUTPUTS: readonly string[];
export declare function staleReason(): string | null;
export default function buildFromSource(): void;
