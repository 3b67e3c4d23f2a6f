/**
 * The unit itself (PRODUCT.md "The unit itself"): the addresses it owns, learned from evidence in
 * the paste or given by the user. An address is the unit's when
 * - the user says so (`--unit-address`),
 * - a debug-flow trace delivers a packet to it locally (`iprope_in_check`, "to local", local-in),
 * - the unit sends from it: an ICMP error it generates, an ARP request it asks (`tell X`) or answers
 *   (`X is-at`), IKE/ESP it originates, the SNAT address on the egress copy of a forwarded packet,
 *   the answer it gives to a request that arrived and never left.
 * Each address keeps the first piece of evidence that made it the unit's, so a verdict can say why.
 */
import { isUsableUnitAddress } from "./addresses.js";

export type UnitEvidence =
  | "given"
  | "trace-local"
  | "icmp-error"
  | "arp"
  | "snat"
  | "ike-esp"
  | "answer"
  | "originated";

export interface UnitAddress {
  address: string;
  evidence: UnitEvidence;
  /** the input line of the packet that showed it; null for given and trace-derived addresses */
  line: number | null;
}

export class UnitModel {
  private readonly own = new Map<string, UnitAddress>();

  constructor(given: Iterable<string> = []) {
    for (const a of given) this.learn(a, "given", null);
  }

  /** Record that `address` is the unit's; the first evidence is kept. */
  learn(address: string | null, evidence: UnitEvidence, line: number | null): void {
    if (!isUsableUnitAddress(address)) return;
    if (!this.own.has(address)) this.own.set(address, { address, evidence, line });
  }

  has(address: string | null): boolean {
    return address !== null && this.own.has(address);
  }

  get(address: string): UnitAddress | undefined {
    return this.own.get(address);
  }

  get size(): number {
    return this.own.size;
  }

  addresses(): UnitAddress[] {
    return [...this.own.values()];
  }
}
