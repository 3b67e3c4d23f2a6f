/**
 * fast-check runs with a random seed on a developer's machine (to explore) and with one fixed seed
 * under CI=true (so a green main stays green: the same inputs every run). FC_SEED=N replays a
 * counterexample's seed anywhere. A failure prints its seed and path either way.
 */
import fc from "fast-check";

const fromEnv = process.env["FC_SEED"];
const seed = fromEnv !== undefined && fromEnv !== "" ? Number(fromEnv) : process.env["CI"] === "true" ? 20261208 : undefined;
if (seed !== undefined && Number.isFinite(seed)) fc.configureGlobal({ seed });
