/**
 * The service catalogue as functions: look a port up (with precedence when several services
 * share it), merge user definitions from `--services FILE` over the built-in ones with
 * validation that reports instead of throwing, and flatten it for the `services` table.
 *
 * Pure: no Node imports, no I/O; runs in the browser. The catalogue is a plain array of
 * entries; an index per array is built on first lookup and cached.
 */
import { isBroadcastAddress, isIPv4, isIPv6, isMulticastAddress } from "../net/index.js";
import {
  BUILTIN_SERVICES,
  PRECEDENCE,
  SERVICE_DIRECTIONS,
  SERVICE_PROTOS,
  type BroadcastHandling,
  type MulticastHandling,
  type ServiceDirection,
  type ServiceEntry,
  type ServiceProto,
} from "./services.js";

export * from "./services.js";

/** A catalogue: entries in order (the order breaks the last ties between entries sharing a port). */
export type Catalogue = readonly ServiceEntry[];

// ---- built-in ---------------------------------------------------------------------------------

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const BUILTIN: Catalogue = deepFreeze(BUILTIN_SERVICES);

/** The built-in catalogue (shared and frozen: merge to change it). */
export function builtinCatalogue(): Catalogue {
  return BUILTIN;
}

// ---- addresses ----------------------------------------------------------------------------------

export { isMulticastAddress, isBroadcastAddress } from "../net/index.js";

function isIPAddress(addr: string): boolean {
  return isIPv4(addr) || isIPv6(addr);
}

// ---- lookup -----------------------------------------------------------------------------------

/** What the caller knows about the exchange; every field is optional and only re-ranks candidates. */
export interface LookupContext {
  /** destination addresses of the requests (the servers) */
  servers?: readonly string[];
  /** the unit sent the requests (`outbound`) or received them (`inbound`); leave out for traffic through the unit */
  direction?: "outbound" | "inbound";
  /** the product that captured, e.g. "FortiMail" (when the caller knows it) */
  product?: string;
  /** the requests went to a multicast or broadcast address (set it for subnet broadcasts, which need the mask) */
  group?: boolean;
}

/**
 * Why the best entry won over the next one: the first rule in lookupService's order where they
 * differ (`only`: a single candidate).
 */
export type MatchReason = "only" | "address" | "group" | "direction" | "precedence" | "product" | "exact-direction" | "order";

export interface ServiceMatch {
  entry: ServiceEntry;
  /** the other entries on the same proto and port, best first */
  alternates: ServiceEntry[];
  reason: MatchReason;
}

interface Key {
  proto: ServiceProto;
  port: number | null;
}

/**
 * Maps the packet vocabulary onto the catalogue's: `icmp6` is `icmp`; `ip` with protocol 50 is
 * `esp`, with 1 or 58 `icmp`; udp and tcp need a port. Anything else (arp, stp, ...) has no entry.
 */
function normaliseKey(proto: string, port: number | null): Key | null {
  switch (proto.toLowerCase()) {
    case "udp":
      return port === null ? null : { proto: "udp", port };
    case "tcp":
      return port === null ? null : { proto: "tcp", port };
    case "icmp":
    case "icmp6":
      return { proto: "icmp", port: null };
    case "esp":
      return { proto: "esp", port: null };
    case "ip":
      if (port === 50) return { proto: "esp", port: null };
      if (port === 1 || port === 58) return { proto: "icmp", port: null };
      return port === null ? null : { proto: "ip", port };
    case "ether":
      return port === null ? null : { proto: "ether", port };
    default:
      return null;
  }
}

function keyString(proto: ServiceProto, port: number | null): string {
  return `${proto}/${port ?? ""}`;
}

const indexes = new WeakMap<Catalogue, Map<string, ServiceEntry[]>>();

function indexOf(catalogue: Catalogue): Map<string, ServiceEntry[]> {
  let index = indexes.get(catalogue);
  if (index === undefined) {
    index = new Map();
    for (const e of catalogue) {
      const keys = e.ports.length === 0 ? [keyString(e.proto, null)] : e.ports.map((p) => keyString(e.proto, p));
      for (const k of new Set(keys)) {
        const list = index.get(k);
        if (list === undefined) index.set(k, [e]);
        else list.push(e);
      }
    }
    indexes.set(catalogue, index);
  }
  return index;
}

/** Every entry on this proto and port, in catalogue order. */
export function entriesFor(catalogue: Catalogue, proto: string, port: number | null): ServiceEntry[] {
  const key = normaliseKey(proto, port);
  if (key === null) return [];
  return [...(indexOf(catalogue).get(keyString(key.proto, key.port)) ?? [])];
}

/** The ranking keys of one candidate, compared in this order; lower is better. */
type Rank = [address: number, group: number, direction: number, precedence: number, product: number, exactDirection: number, order: number];

const RANK_REASONS: MatchReason[] = ["address", "group", "direction", "precedence", "product", "exact-direction", "order"];

function rank(e: ServiceEntry, order: number, ctx: LookupContext): Rank {
  const servers = ctx.servers ?? [];
  const address = e.addresses !== undefined && servers.some((s) => e.addresses?.includes(s)) ? 0 : 1;
  const toMulticast = servers.some(isMulticastAddress);
  const toBroadcast = servers.some(isBroadcastAddress) || (ctx.group === true && !toMulticast);
  const groupHit =
    servers.some((s) => e.multicast?.groups.includes(s.toLowerCase()) === true) ||
    (toMulticast && e.multicast !== undefined) ||
    (toBroadcast && e.broadcast !== undefined);
  const group = groupHit ? 0 : 1;
  const direction = ctx.direction === undefined || e.direction === "either" || e.direction === ctx.direction ? 0 : 1;
  const product = ctx.product !== undefined && e.products.some((p) => p.toLowerCase() === ctx.product?.toLowerCase()) ? 0 : 1;
  const exactDirection = ctx.direction !== undefined && e.direction === ctx.direction ? 0 : 1;
  return [address, group, direction, e.precedence, product, exactDirection, order];
}

function compareRanks(a: Rank, b: Rank): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The entry that best names traffic on `proto`/`port`, and the other entries on that port.
 *
 * Precedence when several entries share a port (first difference wins):
 * 1. address: an entry whose `addresses` holds one of `context.servers` (the FortiGuard antispam
 *    servers make UDP/53 "FortiGuard antispam rating" instead of "DNS");
 * 2. group: for requests to a multicast group or broadcast, an entry that lists that group or
 *    handles multicast/broadcast;
 * 3. direction: entries whose direction contradicts `context.direction` go last (demoted, never dropped);
 * 4. `precedence` (lower first: 10 the generic owner of the port, 20 Fortinet on its documented
 *    port, 30 special deployments; user additions 5);
 * 5. product: an entry naming `context.product`;
 * 6. an entry whose direction equals `context.direction` before an `either` one;
 * 7. catalogue order.
 * Product and exact direction come after precedence on purpose: a FortiMail sends plain DNS on
 * UDP/53 far more often than antispam queries, and an outbound DNS query is still DNS.
 *
 * `proto` is the packet vocabulary (`udp`, `tcp`, `icmp`, `icmp6`, `esp`, `ip` with the IP
 * protocol number as `port`, `ether` with the ethertype); null when nothing matches.
 */
export function lookupService(catalogue: Catalogue, proto: string, port: number | null, context: LookupContext = {}): ServiceMatch | null {
  const candidates = entriesFor(catalogue, proto, port);
  if (candidates.length === 0) return null;
  const ranked = candidates.map((e, i) => ({ e, r: rank(e, i, context) })).sort((a, b) => compareRanks(a.r, b.r));
  const best = ranked[0] as (typeof ranked)[number];
  const next = ranked[1];
  let reason: MatchReason = "only";
  if (next !== undefined) {
    const i = best.r.findIndex((v, k) => v !== next.r[k]);
    reason = RANK_REASONS[i] ?? "order";
  }
  return { entry: best.e, alternates: ranked.slice(1).map((x) => x.e), reason };
}

// ---- adapters for the pipeline ----------------------------------------------------------------

/**
 * What the verdict engine needs of a service (structurally its `ServiceInfo`), plus the id and
 * the names of the other services on the port.
 */
export interface ServiceFacts {
  id: string;
  name: string;
  expectsReply: boolean;
  remedy: string | null;
  rejectedRemedy: string | null;
  /** names of the alternates, for "UDP/53 is also used by ..." */
  alsoUsedBy: string[];
}

export function serviceFacts(catalogue: Catalogue, proto: string, port: number | null, context?: LookupContext): ServiceFacts | null {
  const m = lookupService(catalogue, proto, port, context);
  if (m === null) return null;
  return {
    id: m.entry.id,
    name: m.entry.name,
    expectsReply: m.entry.expectsReply,
    remedy: m.entry.remedy,
    rejectedRemedy: m.entry.rejectedRemedy ?? null,
    alsoUsedBy: [...new Set(m.alternates.map((a) => a.name).filter((n) => n !== m.entry.name))],
  };
}

/**
 * `(proto, port, context?) => ServiceFacts | null`: fits the verdict engine's `ServiceInfoLookup`;
 * a caller that knows the servers or the direction can pass them as the third argument.
 */
export function serviceInfoLookup(catalogue: Catalogue): (proto: string, port: number | null, context?: LookupContext) => ServiceFacts | null {
  return (proto, port, context) => serviceFacts(catalogue, proto, port, context);
}

/** What correlation needs of a port: fits the analyzer's `PortFactsLookup`. */
export interface PortFacts {
  expectsReply: boolean;
  known: boolean;
}

/** `(proto, port) => PortFacts | null`; `expectsReply` is the best entry's (lookup without context). */
export function portFactsLookup(catalogue: Catalogue): (proto: string, port: number) => PortFacts | null {
  return (proto, port) => {
    const m = lookupService(catalogue, proto, port);
    return m === null ? null : { expectsReply: m.entry.expectsReply, known: true };
  };
}

// ---- merge and validation ---------------------------------------------------------------------

export interface MergeResult {
  /** base with the valid user entries applied; invalid entries are left out */
  catalogue: Catalogue;
  /** one message per problem: `services.json: entry 2: "ports" must be an array of numbers 1-65535` */
  errors: string[];
  /** ids of entries the user added / replaced fields of */
  added: string[];
  overridden: string[];
}

const FIELDS = [
  "id",
  "name",
  "proto",
  "ports",
  "products",
  "direction",
  "expectsReply",
  "multicast",
  "broadcast",
  "remedy",
  "rejectedRemedy",
  "notes",
  "sources",
  "hosts",
  "addresses",
  "precedence",
] as const;

type Field = (typeof FIELDS)[number];

const FIELD_SET: ReadonlySet<string> = new Set(FIELDS);

const ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

/** Message texts, one per check (the tests assert every one). */
export const MESSAGES = {
  topLevel: 'expected an array of service entries, or an object {"services": [...]}',
  notJson: (detail: string) => `not valid JSON: ${detail}`,
  notObject: "must be an object",
  unknownField: (key: string, hint: string | null) => `unknown field "${key}"` + (hint === null ? "" : ` (did you mean "${hint}"?)`),
  required: (field: Field, id: string) => `"${field}" is required for a new service (no entry has id "${id}")`,
  id: '"id" must be a non-empty string of lowercase letters, digits, ".", "_" or "-"',
  duplicateId: (id: string, first: number) => `"id" "${id}" repeats entry ${first}`,
  name: '"name" must be a non-empty string',
  proto: `"proto" must be one of ${SERVICE_PROTOS.map((p) => `"${p}"`).join(", ")}`,
  ports: '"ports" must be an array of numbers 1-65535',
  portsEmpty: (proto: string) => `"ports" must list at least one port for proto "${proto}"`,
  portsIp: '"ports" must be an array of IP protocol numbers 0-255',
  portsEther: '"ports" must be an array of ethertypes 1536-65535 (0x0600-0xffff)',
  portsNone: (proto: string) => `"ports" must be empty for proto "${proto}"`,
  products: '"products" must be an array of non-empty strings',
  direction: `"direction" must be one of ${SERVICE_DIRECTIONS.map((d) => `"${d}"`).join(", ")}`,
  expectsReply: '"expectsReply" must be true or false',
  multicast: '"multicast" must be an object {"groups": [multicast addresses], "reply": "none" | "unicast"}',
  multicastGroups: '"multicast.groups" must be a non-empty array of multicast addresses (224.0.0.0/4 or ff00::/8)',
  broadcast: '"broadcast" must be an object {"reply": "none" | "unicast" | "broadcast"}',
  remedy: '"remedy" must be a non-empty string or null',
  rejectedRemedy: '"rejectedRemedy" must be a non-empty string',
  notes: '"notes" must be an array of strings',
  sources: '"sources" must be a non-empty array of non-empty strings',
  hosts: '"hosts" must be an array of host names',
  addresses: '"addresses" must be an array of IP addresses',
  precedence: '"precedence" must be an integer 0-1000',
} as const;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isNonEmptyString(v: unknown): v is string {
  return typeof v === "string" && v.trim() !== "";
}

function isStringArray(v: unknown, nonEmptyItems: boolean): v is string[] {
  return Array.isArray(v) && v.every((s) => (nonEmptyItems ? isNonEmptyString(s) : typeof s === "string"));
}

function isIntArray(v: unknown, min: number, max: number): v is number[] {
  return Array.isArray(v) && v.every((n) => typeof n === "number" && Number.isInteger(n) && n >= min && n <= max);
}

function hintFor(key: string): string | null {
  const lower = key.toLowerCase().replace(/[-_]/g, "");
  for (const f of FIELDS) {
    const fl = f.toLowerCase();
    if (fl === lower || fl === lower + "s" || fl + "s" === lower) return f;
  }
  return null;
}

/** Checks the fields present in `raw`; returns messages (without the file/entry prefix). */
function checkFields(raw: Json): string[] {
  const errors: string[] = [];
  for (const key of Object.keys(raw)) {
    if (!FIELD_SET.has(key)) errors.push(MESSAGES.unknownField(key, hintFor(key)));
  }
  const has = (f: Field) => Object.prototype.hasOwnProperty.call(raw, f);
  if (has("id") && !(typeof raw.id === "string" && ID_PATTERN.test(raw.id))) errors.push(MESSAGES.id);
  if (has("name") && !isNonEmptyString(raw.name)) errors.push(MESSAGES.name);
  if (has("proto") && !(typeof raw.proto === "string" && (SERVICE_PROTOS as readonly string[]).includes(raw.proto))) errors.push(MESSAGES.proto);
  if (has("products") && !isStringArray(raw.products, true)) errors.push(MESSAGES.products);
  if (has("direction") && !(typeof raw.direction === "string" && (SERVICE_DIRECTIONS as readonly string[]).includes(raw.direction))) errors.push(MESSAGES.direction);
  if (has("expectsReply") && typeof raw.expectsReply !== "boolean") errors.push(MESSAGES.expectsReply);
  if (has("multicast")) {
    const m = raw.multicast;
    if (!isObject(m) || Object.keys(m).some((k) => k !== "groups" && k !== "reply") || !(m.reply === "none" || m.reply === "unicast")) {
      errors.push(MESSAGES.multicast);
    } else if (!(isStringArray(m.groups, true) && m.groups.length > 0 && m.groups.every((g) => (isIPv4(g) || isIPv6(g)) && isMulticastAddress(g)))) {
      errors.push(MESSAGES.multicastGroups);
    }
  }
  if (has("broadcast")) {
    const b = raw.broadcast;
    if (!isObject(b) || Object.keys(b).some((k) => k !== "reply") || !(b.reply === "none" || b.reply === "unicast" || b.reply === "broadcast")) {
      errors.push(MESSAGES.broadcast);
    }
  }
  if (has("remedy") && !(raw.remedy === null || isNonEmptyString(raw.remedy))) errors.push(MESSAGES.remedy);
  if (has("rejectedRemedy") && !isNonEmptyString(raw.rejectedRemedy)) errors.push(MESSAGES.rejectedRemedy);
  if (has("notes") && !isStringArray(raw.notes, false)) errors.push(MESSAGES.notes);
  if (has("sources") && !(isStringArray(raw.sources, true) && raw.sources.length > 0)) errors.push(MESSAGES.sources);
  if (has("hosts") && !(isStringArray(raw.hosts, true) && raw.hosts.every((h) => /^[a-z0-9.-]+$/i.test(h)))) errors.push(MESSAGES.hosts);
  if (has("addresses") && !(isStringArray(raw.addresses, true) && raw.addresses.every(isIPAddress))) errors.push(MESSAGES.addresses);
  if (has("precedence") && !(typeof raw.precedence === "number" && Number.isInteger(raw.precedence) && raw.precedence >= 0 && raw.precedence <= 1000)) {
    errors.push(MESSAGES.precedence);
  }
  return errors;
}

/** `ports` depends on `proto` (the entry's own, or the overridden base entry's). */
function checkPorts(ports: unknown, proto: ServiceProto): string | null {
  switch (proto) {
    case "udp":
    case "tcp":
      if (!isIntArray(ports, 1, 65535)) return MESSAGES.ports;
      return ports.length === 0 ? MESSAGES.portsEmpty(proto) : null;
    case "ip":
      if (!isIntArray(ports, 0, 255)) return MESSAGES.portsIp;
      return ports.length === 0 ? MESSAGES.portsEmpty(proto) : null;
    case "ether":
      if (!isIntArray(ports, 0x0600, 0xffff)) return MESSAGES.portsEther;
      return ports.length === 0 ? MESSAGES.portsEmpty(proto) : null;
    case "icmp":
    case "esp":
      return Array.isArray(ports) && ports.length === 0 ? null : MESSAGES.portsNone(proto);
  }
}

/** Builds the entry from validated fields (base: the entry being overridden, if any). */
function buildEntry(raw: Json, base: ServiceEntry | undefined, file: string): ServiceEntry {
  const pick = <K extends Field>(f: K): unknown => (Object.prototype.hasOwnProperty.call(raw, f) ? raw[f] : undefined);
  const proto = (pick("proto") ?? base?.proto) as ServiceProto;
  const ports = (pick("ports") as number[] | undefined) ?? (base?.ports ?? []);
  const entry: {
    -readonly [K in keyof ServiceEntry]: ServiceEntry[K];
  } = {
    id: raw.id as string,
    name: ((pick("name") as string | undefined) ?? base?.name) as string,
    proto,
    ports: [...new Set(ports)],
    products: (pick("products") as string[] | undefined) ?? base?.products ?? [],
    direction: (pick("direction") as ServiceDirection | undefined) ?? base?.direction ?? "either",
    expectsReply: (pick("expectsReply") as boolean | undefined) ?? base?.expectsReply ?? true,
    remedy: raw.remedy !== undefined ? (raw.remedy as string | null) : (base?.remedy ?? null),
    sources: (pick("sources") as string[] | undefined) ?? base?.sources ?? [file],
    precedence: (pick("precedence") as number | undefined) ?? base?.precedence ?? PRECEDENCE.user,
  };
  const multicast = (pick("multicast") as MulticastHandling | undefined) ?? base?.multicast;
  if (multicast !== undefined) entry.multicast = { groups: multicast.groups.map((g) => g.toLowerCase()), reply: multicast.reply };
  const broadcast = (pick("broadcast") as BroadcastHandling | undefined) ?? base?.broadcast;
  if (broadcast !== undefined) entry.broadcast = { reply: broadcast.reply };
  const rejectedRemedy = (pick("rejectedRemedy") as string | undefined) ?? base?.rejectedRemedy;
  if (rejectedRemedy !== undefined) entry.rejectedRemedy = rejectedRemedy;
  const notes = (pick("notes") as string[] | undefined) ?? base?.notes;
  if (notes !== undefined) entry.notes = notes;
  const hosts = (pick("hosts") as string[] | undefined) ?? base?.hosts;
  if (hosts !== undefined) entry.hosts = hosts;
  const addresses = (pick("addresses") as string[] | undefined) ?? base?.addresses;
  if (addresses !== undefined) entry.addresses = addresses;
  return deepFreeze(entry);
}

/**
 * Merges user entries (the parsed JSON of `--services FILE`: an array of entries, or
 * `{"services": [...]}`) over `base`. An entry whose `id` exists in `base` replaces only the
 * fields it gives; a new `id` needs `name`, `proto` and `ports` (not for icmp/esp) and gets
 * products [], direction "either", expectsReply true, remedy null, sources [file] and
 * precedence 5 unless given. Never throws: every problem is a message naming the file, the
 * entry (1-based: entry 1 is the first) and the field; entries with problems are left out, the
 * others are applied.
 */
export function mergeCatalogue(base: Catalogue, userEntries: unknown, file = "services.json"): MergeResult {
  const errors: string[] = [];
  const added: string[] = [];
  const overridden: string[] = [];
  const list = Array.isArray(userEntries)
    ? userEntries
    : isObject(userEntries) && Array.isArray(userEntries.services) && Object.keys(userEntries).length === 1
      ? userEntries.services
      : null;
  if (list === null) return { catalogue: base, errors: [`${file}: ${MESSAGES.topLevel}`], added, overridden };

  const byId = new Map(base.map((e, i) => [e.id, i] as const));
  const result: ServiceEntry[] = [...base];
  const seen = new Map<string, number>();

  list.forEach((raw: unknown, i: number) => {
    const n = i + 1;
    const where = `${file}: entry ${n}`;
    const entryErrors: string[] = [];
    if (!isObject(raw)) {
      errors.push(`${where}: ${MESSAGES.notObject}`);
      return;
    }
    for (const e of checkFields(raw)) entryErrors.push(e);
    const id = typeof raw.id === "string" ? raw.id : null;
    if (!Object.prototype.hasOwnProperty.call(raw, "id")) entryErrors.unshift('"id" is required');
    if (id !== null && ID_PATTERN.test(id)) {
      const first = seen.get(id);
      if (first !== undefined) entryErrors.push(MESSAGES.duplicateId(id, first));
      else seen.set(id, n);
    }
    const baseIndex = id !== null ? byId.get(id) : undefined;
    const baseEntry = baseIndex !== undefined ? base[baseIndex] : undefined;
    if (baseEntry === undefined && id !== null && ID_PATTERN.test(id)) {
      for (const f of ["name", "proto"] as const) if (!Object.prototype.hasOwnProperty.call(raw, f)) entryErrors.push(MESSAGES.required(f, id));
    }
    const proto = typeof raw.proto === "string" && (SERVICE_PROTOS as readonly string[]).includes(raw.proto) ? (raw.proto as ServiceProto) : (baseEntry?.proto ?? null);
    if (proto !== null) {
      const givenPorts = Object.prototype.hasOwnProperty.call(raw, "ports");
      if (givenPorts || baseEntry !== undefined) {
        const problem = checkPorts(givenPorts ? raw.ports : baseEntry?.ports, proto);
        if (problem !== null) entryErrors.push(problem);
      } else if (proto !== "icmp" && proto !== "esp" && id !== null && ID_PATTERN.test(id)) {
        entryErrors.push(MESSAGES.required("ports", id));
      }
    }
    if (entryErrors.length > 0) {
      for (const e of entryErrors) errors.push(`${where}: ${e}`);
      return;
    }
    const entry = buildEntry(raw, baseEntry, file);
    const at = result.findIndex((e) => e.id === entry.id);
    if (at >= 0) {
      result[at] = entry;
      if (baseEntry !== undefined && !overridden.includes(entry.id)) overridden.push(entry.id);
    } else {
      result.push(entry);
      added.push(entry.id);
    }
  });
  return { catalogue: added.length + overridden.length === 0 ? base : result, errors, added, overridden };
}

/** `mergeCatalogue` over JSON text; a syntax error is one message, never an exception. */
export function mergeCatalogueText(base: Catalogue, text: string, file = "services.json"): MergeResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    return { catalogue: base, errors: [`${file}: ${MESSAGES.notJson(e instanceof Error ? e.message : String(e))}`], added: [], overridden: [] };
  }
  return mergeCatalogue(base, parsed, file);
}

// ---- rows for `sniffdiag services` ------------------------------------------------------------

export interface CatalogueRow {
  id: string;
  proto: ServiceProto;
  /** port, IP protocol number or ethertype; null for icmp and esp */
  port: number | null;
  /** `UDP/8889`, `IP protocol 89`, `ESP`, `ICMP echo`, `Ethertype 0x8890` */
  label: string;
  name: string;
  /** comma-separated; "any" when the entry names no product */
  products: string;
  direction: ServiceDirection;
  oneWay: boolean;
  /** multicast groups and/or "broadcast", comma-separated; "" when neither */
  group: string;
  /** the sources joined with "; " */
  source: string;
}

const PROTO_ORDER: Record<ServiceProto, number> = { udp: 0, tcp: 1, icmp: 2, esp: 3, ip: 4, ether: 5 };

export function portLabel(proto: ServiceProto, port: number | null): string {
  switch (proto) {
    case "icmp":
      return "ICMP echo";
    case "esp":
      return "ESP";
    case "ip":
      return `IP protocol ${port ?? "?"}`;
    case "ether":
      return port === null ? "Ethertype" : `Ethertype 0x${port.toString(16).padStart(4, "0")}`;
    case "udp":
    case "tcp":
      return `${proto.toUpperCase()}/${port ?? "?"}`;
  }
}

/** One row per entry and port, sorted by proto, port, then the lookup precedence on that port. */
export function catalogueRows(catalogue: Catalogue): CatalogueRow[] {
  const rows: (CatalogueRow & { precedence: number; order: number })[] = [];
  catalogue.forEach((e, order) => {
    const ports: (number | null)[] = e.ports.length === 0 ? [null] : [...new Set(e.ports)];
    const group = [...(e.multicast?.groups ?? []), ...(e.broadcast !== undefined ? ["broadcast"] : [])].join(", ");
    for (const port of ports) {
      rows.push({
        id: e.id,
        proto: e.proto,
        port,
        label: portLabel(e.proto, port),
        name: e.name,
        products: e.products.length === 0 ? "any" : e.products.join(", "),
        direction: e.direction,
        oneWay: !e.expectsReply,
        group,
        source: e.sources.join("; "),
        precedence: e.precedence,
        order,
      });
    }
  });
  rows.sort((a, b) => PROTO_ORDER[a.proto] - PROTO_ORDER[b.proto] || (a.port ?? -1) - (b.port ?? -1) || a.precedence - b.precedence || a.order - b.order);
  return rows.map(({ precedence: _p, order: _o, ...row }) => row);
}
