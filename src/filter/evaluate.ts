/**
 * Evaluating a capture filter on parsed packet records, three-valued: `true`, `false`, or
 * `"unknown"` when the text cannot tell (a byte-offset test on a header-only capture, a masked
 * address under `net`, an 802.1Q frame whose inner protocol is not printed). A `true` or `false` is
 * what libpcap answers on that packet as far as the text shows it; the few inferences this takes
 * are noted where they are made (a packet printed without `802.1Q` was not tagged, a unicast IP
 * destination went to a unicast Ethernet address, the printed TCP flags are all the flags).
 *
 * `and`/`or`/`not` are Kleene's: `false and unknown` is false, `true or unknown` is true.
 * As in libpcap, a byte-offset comparison also requires its protocol (`tcp[13] = 2` is false on a
 * UDP packet), and a load past the end of a complete packet rejects it.
 */
import type { PacketRecord } from "../records.js";
import { parseFilter, printFilter, type FilterNode } from "../../grammars/filter/index.js";
import { PacketView, type Tri } from "./packet.js";
import { YES, and, not, or, tri, unknown, type Outcome } from "./outcome.js";
import { etherTypeIs, evalProto, evalVlan, familyIs, ipProtocolIs } from "./protocols.js";
import { evalBroadcast, evalHost, evalMulticast, evalNet, evalPort } from "./endpoints.js";
import { evalCompare } from "./bytes.js";

export type { Tri } from "./packet.js";

export interface FilterResult {
  result: Tri;
  /** why the result is "unknown" (null otherwise) */
  reason: string | null;
}

export interface Filter {
  /** the expression as given */
  readonly source: string;
  readonly ast: FilterNode;
  /** `none` or empty: every packet */
  readonly matchesAll: boolean;
  match(packet: PacketRecord): Tri;
  evaluate(packet: PacketRecord): FilterResult;
  /** why `match` answered "unknown": for `packet`, or for the last packet `match` saw */
  explainUnknown(packet?: PacketRecord): string | null;
  /** the compact printed form (explicit qualifiers) */
  toString(): string;
}

/** Parse and compile a filter; throws FilterSyntaxError (and nothing else) when it does not parse. */
export function compileFilter(expr: string): Filter {
  return new CompiledFilter(expr, parseFilter(expr));
}

class CompiledFilter implements Filter {
  readonly source: string;
  readonly ast: FilterNode;
  readonly matchesAll: boolean;
  private lastReason: string | null = null;

  constructor(source: string, ast: FilterNode) {
    this.source = source;
    this.ast = ast;
    this.matchesAll = ast.kind === "all";
  }

  match(packet: PacketRecord): Tri {
    const r = this.evaluate(packet);
    this.lastReason = r.reason;
    return r.result;
  }

  evaluate(packet: PacketRecord): FilterResult {
    const o = evalNode(this.ast, new PacketView(packet));
    return { result: o.v, reason: o.v === "unknown" ? o.why : null };
  }

  explainUnknown(packet?: PacketRecord): string | null {
    return packet === undefined ? this.lastReason : this.evaluate(packet).reason;
  }

  toString(): string {
    return printFilter(this.ast);
  }
}

/** The filter on one packet (its view): the three-valued answer, and why when "unknown". */
export function evalNode(n: FilterNode, view: PacketView): Outcome {
  switch (n.kind) {
    case "all":
      return YES;
    case "and":
      return and(evalNode(n.left, view), () => evalNode(n.right, view));
    case "or":
      return or(evalNode(n.left, view), () => evalNode(n.right, view));
    case "not":
      return not(evalNode(n.expr, view));
    case "host":
      return evalHost(n, view);
    case "net":
      return evalNet(n, view);
    case "port":
    case "portrange":
      return evalPort(n, view);
    case "proto":
      return evalProto(n.proto, view);
    case "ipProto": {
      const fam = n.over === "ip" ? familyIs(view, ["ipv4"]) : n.over === "ip6" ? familyIs(view, ["ipv6"]) : familyIs(view, ["ipv4", "ipv6"]);
      return and(fam, () => ipProtocolIs(view, n.protocol));
    }
    case "etherProto":
      return etherTypeIs(view, n.ethertype);
    case "pppoed":
      return etherTypeIs(view, 0x8863);
    case "pppoes": {
      const et = etherTypeIs(view, 0x8864);
      if (n.session === null || et.v !== true) return et;
      const l = view.layout;
      if (l !== null && l.link !== null && l.ethertype === 0x8864 && l.bytes.length >= l.link + 18) {
        return tri((((l.bytes[l.link + 16] as number) << 8) | (l.bytes[l.link + 17] as number)) === n.session);
      }
      return unknown(`cannot read the PPPoE session id of this packet`);
    }
    case "vlan":
      return evalVlan(n.id, view);
    case "gateway":
      return unknown(`cannot evaluate 'gateway ${n.host}': it needs the gateway's Ethernet address`);
    case "length":
      return unknown(`cannot evaluate '${printFilter(n)}': the text does not give the frame length`);
    case "broadcast":
      return evalBroadcast(n.proto, view);
    case "multicast":
      return evalMulticast(n.proto, view);
    case "inbound":
    case "outbound": {
      const dir = view.pkt.dir;
      if (dir === "in" || dir === "out") return tri((dir === "in") === (n.kind === "inbound"));
      return unknown(`cannot evaluate '${n.kind}': the capture does not show the packet's direction`);
    }
    case "compare":
      return evalCompare(n, view);
  }
}
