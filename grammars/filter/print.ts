/**
 * The compact printed form of a filter tree: explicit qualifiers on every primitive, parentheses
 * only where the precedence needs them. `parseFilter(printFilter(t))` gives `t` back.
 */
import type { ArithNode, ArithOp, Direction, FilterNode } from "./ast.js";
import { filterLexer, Name, Placeholder, Number as NumberTok, ColonAddress } from "./tokens.js";

export function printFilter(node: FilterNode): string {
  switch (node.kind) {
    case "all":
      return "none";
    case "and":
    case "or": {
      const right = node.right.kind === "and" || node.right.kind === "or" ? `(${printFilter(node.right)})` : printFilter(node.right);
      return `${printFilter(node.left)} ${node.kind} ${right}`;
    }
    case "not": {
      const e = node.expr;
      return e.kind === "and" || e.kind === "or" ? `not (${printFilter(e)})` : `not ${printFilter(e)}`;
    }
    case "host":
      return qualified(node.proto, node.dir, "host", word(node.host));
    case "net":
      return qualified(node.proto, node.dir, "net", node.prefix === null ? word(node.addr) : `${node.addr}/${node.prefix}`);
    case "port":
      return qualified(node.proto, node.dir, "port", node.name ?? String(node.port));
    case "portrange":
      return qualified(node.proto, node.dir, "portrange", `${node.from}-${node.to}`);
    case "proto":
      return node.proto;
    case "ipProto":
      return `${node.over === null ? "" : node.over + " "}proto ${node.name ?? String(node.protocol)}`;
    case "etherProto":
      return `ether proto ${node.name ?? "0x" + node.ethertype.toString(16).padStart(4, "0")}`;
    case "gateway":
      return `gateway ${word(node.host)}`;
    case "vlan":
      return node.id === null ? "vlan" : `vlan ${node.id}`;
    case "pppoed":
      return "pppoed";
    case "pppoes":
      return node.session === null ? "pppoes" : `pppoes ${node.session}`;
    case "length":
      return `${node.op} ${node.value}`;
    case "broadcast":
    case "multicast":
      return node.proto === null ? node.kind : `${node.proto} ${node.kind}`;
    case "inbound":
    case "outbound":
      return node.kind;
    case "compare":
      return `${printArith(node.left)} ${node.op} ${printArith(node.right)}`;
  }
}

function qualified(proto: string | null, dir: Direction, type: string, id: string): string {
  const parts: string[] = [];
  if (proto !== null) parts.push(proto);
  if (dir !== "src or dst") parts.push(dir);
  parts.push(type, id);
  return parts.join(" ");
}

/** A host or network name that would lex as a keyword is escaped (`\tcp`). */
function word(text: string): string {
  const lexed = filterLexer().tokenize(text);
  const only = lexed.tokens.length === 1 && lexed.errors.length === 0 ? lexed.tokens[0] : undefined;
  const t = only?.tokenType;
  if (t === Name || t === Placeholder || t === NumberTok || t === ColonAddress) return text;
  return "\\" + text;
}

const LEVEL: Record<ArithOp, number> = { "|": 1, "^": 1, "&": 2, "<<": 3, ">>": 3, "+": 4, "-": 4, "*": 5, "/": 5, "%": 5 };

function level(node: ArithNode): number {
  if (node.kind === "binary") return LEVEL[node.op];
  if (node.kind === "neg") return 6;
  return 7;
}

export function printArith(node: ArithNode): string {
  switch (node.kind) {
    case "num":
      return node.name ?? String(node.value);
    case "len":
      return "len";
    case "load":
      return `${node.proto}[${printArith(node.offset)}${node.size === 1 ? "" : ":" + node.size}]`;
    case "neg":
      return `-${level(node.expr) < 6 ? `(${printArith(node.expr)})` : printArith(node.expr)}`;
    case "binary": {
      const l = LEVEL[node.op];
      const left = level(node.left) < l ? `(${printArith(node.left)})` : printArith(node.left);
      const right = level(node.right) <= l ? `(${printArith(node.right)})` : printArith(node.right);
      return `${left} ${node.op} ${right}`;
    }
  }
}
