/** What a filter refers to: its host, net and port primitives (with direction and negation), protocols and byte tests. */
import { printFilter, type Direction, type FilterNode } from "../../grammars/filter/index.js";
import type { Filter } from "./evaluate.js";

export interface FilterFieldRef {
  primitive: "host" | "net" | "port" | "portrange";
  dir: Direction;
  /** `10.0.1.10`, `10.0.0.0/8`, `53`, `1024-2047` */
  value: string;
  /** under an odd number of `not` */
  negated: boolean;
  /** the primitive, printed */
  text: string;
}

export interface FilterFields {
  matchesAll: boolean;
  /** `host` and `net` primitives */
  hosts: FilterFieldRef[];
  /** `port` and `portrange` primitives */
  ports: FilterFieldRef[];
  /** protocol primitives, printed (`tcp`, `ip proto 47`, `ether proto 0x8890`, `vlan 10`) */
  protocols: string[];
  /** byte-offset comparisons, printed */
  byteTests: string[];
  /** some host, net or port primitive is restricted to one direction (`src …`, `dst …`) */
  directional: boolean;
}

/** Which primitives of a filter reference source/destination hosts and ports. */
export function filterFields(f: Filter | FilterNode): FilterFields {
  const ast = "ast" in f ? f.ast : f;
  const out: FilterFields = { matchesAll: ast.kind === "all", hosts: [], ports: [], protocols: [], byteTests: [], directional: false };
  const walk = (n: FilterNode, negated: boolean): void => {
    switch (n.kind) {
      case "and":
      case "or":
        walk(n.left, negated);
        walk(n.right, negated);
        return;
      case "not":
        walk(n.expr, !negated);
        return;
      case "host":
      case "net":
      case "port":
      case "portrange": {
        const value = n.kind === "host" ? n.host : n.kind === "net" ? (n.prefix === null ? n.addr : `${n.addr}/${n.prefix}`) : n.kind === "port" ? String(n.port) : `${n.from}-${n.to}`;
        const ref: FilterFieldRef = { primitive: n.kind, dir: n.dir, value, negated, text: printFilter(n) };
        (n.kind === "host" || n.kind === "net" ? out.hosts : out.ports).push(ref);
        if (n.dir === "src" || n.dir === "dst") out.directional = true;
        return;
      }
      case "compare":
        out.byteTests.push(printFilter(n));
        return;
      case "all":
      case "gateway":
      case "length":
      case "broadcast":
      case "multicast":
      case "inbound":
      case "outbound":
        return;
      default:
        out.protocols.push(printFilter(n));
    }
  };
  walk(ast, false);
  return out;
}
