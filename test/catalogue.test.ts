/**
 * The service catalogue: lookups (the seed case, shared ports and their precedence), the
 * adapters the pipeline uses, merging `--services FILE` entries with every validation message,
 * the rows of `sniffdiag services`, and invariants of the built-in data (sources, remedies, ids,
 * coverage of ../shared/spec/fortinet-services.md).
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  builtinCatalogue,
  catalogueRows,
  entriesFor,
  lookupService,
  mergeCatalogue,
  mergeCatalogueText,
  MESSAGES,
  portFactsLookup,
  serviceFacts,
  serviceInfoLookup,
  type Catalogue,
  type ServiceEntry,
} from "../src/catalogue/index.js";
import { describeIfPresent } from "./helpers/require.js";

const cat = builtinCatalogue();

function best(proto: string, port: number | null, context?: Parameters<typeof lookupService>[3]): ServiceEntry {
  const m = lookupService(cat, proto, port, context);
  if (m === null) throw new Error(`no entry for ${proto}/${port ?? "-"}`);
  return m.entry;
}

const byId = (id: string): ServiceEntry => {
  const e = cat.find((x) => x.id === id);
  if (e === undefined) throw new Error(`no entry ${id}`);
  return e;
};

describe("lookupService", () => {
  test("seed: UDP/8889 is FortiGuard antispam rating, with the port-change CLI in the remedy", () => {
    const m = lookupService(cat, "udp", 8889);
    expect(m?.entry.id).toBe("fortimail-antispam-udp");
    expect(m?.entry.name).toBe("FortiGuard antispam rating");
    expect(m?.entry.products).toEqual(["FortiMail"]);
    expect(m?.entry.expectsReply).toBe(true);
    expect(m?.entry.remedy).toContain("config system fortiguard antispam\n    set port 53\nend");
    expect(m?.entry.remedy).toMatch(/UDP\/8889/);
    // FortiManager's local FDS also uses 8889, ranked after
    expect(m?.alternates.map((e) => e.id)).toEqual(["fortimanager-fds-antispam-udp"]);
    expect(m?.reason).toBe("precedence");
    expect(m?.entry.sources).toContain("Fortinet KB 192524 (the seed)");
  });

  test("UDP/53 is DNS by default; FortiGuard addresses from the sources make it antispam rating", () => {
    const m = lookupService(cat, "udp", 53);
    expect(m?.entry.id).toBe("dns-udp");
    expect(m?.alternates.map((e) => e.id)).toEqual(["fortiguard-rating-udp", "fortimail-antispam-udp"]);
    const seedAfter = lookupService(cat, "udp", 53, { servers: ["208.91.112.194"] });
    expect(seedAfter?.entry.id).toBe("fortimail-antispam-udp");
    expect(seedAfter?.reason).toBe("address");
    // the product alone does not beat precedence: a FortiMail mostly sends plain DNS on UDP/53
    expect(best("udp", 53, { product: "FortiMail" }).id).toBe("dns-udp");
    expect(best("udp", 53, { direction: "outbound" }).id).toBe("dns-udp");
  });

  test("UDP/8888: FortiGate rating unless the product says FortiMail", () => {
    expect(best("udp", 8888).id).toBe("fortiguard-rating-udp");
    const m = lookupService(cat, "udp", 8888, { product: "fortimail" });
    expect(m?.entry.id).toBe("fortimail-antispam-udp");
    expect(m?.reason).toBe("product");
  });

  test("UDP/514 syslog is one-way; TCP/514 is OFTP and expects replies", () => {
    const syslog = best("udp", 514);
    expect(syslog.id).toBe("syslog");
    expect(syslog.expectsReply).toBe(false);
    expect(best("tcp", 514)).toMatchObject({ id: "oftp", expectsReply: true });
  });

  test("UDP/9443 push notification is one-way and inbound", () => {
    expect(best("udp", 9443)).toMatchObject({ id: "fortiguard-push", expectsReply: false, direction: "inbound", products: ["FortiMail"] });
    expect(best("udp", 9443).remedy).toMatch(/override push IP/);
  });

  test("other one-way services", () => {
    for (const [proto, port] of [["udp", 162], ["udp", 2055], ["udp", 4739], ["udp", 6343], ["udp", 1900], ["ip", 89], ["ip", 112]] as const) {
      expect({ proto, port, expectsReply: best(proto, port).expectsReply }).toEqual({ proto, port, expectsReply: false });
    }
    expect(best("udp", 161).expectsReply).toBe(true);
  });

  test("UDP/443: QUIC for traffic through the unit, SSL VPN DTLS when the unit receives it", () => {
    expect(best("udp", 443).id).toBe("quic");
    const inbound = lookupService(cat, "udp", 443, { direction: "inbound" });
    expect(inbound?.entry.id).toBe("sslvpn-dtls");
    expect(inbound?.reason).toBe("exact-direction");
    expect(best("udp", 443, { direction: "outbound" }).id).toBe("quic");
  });

  test("TCP/443: HTTPS, with the FortiGuard and admin uses as alternates", () => {
    const m = lookupService(cat, "tcp", 443);
    expect(m?.entry.id).toBe("https");
    expect(m?.alternates.map((e) => e.id)).toEqual(
      expect.arrayContaining(["fortiguard-anycast", "fortiguard-updates", "admin-access", "sslvpn-tls", "fortiguard-dns-doh"]),
    );
    expect(m?.alternates.at(-1)?.id).toBe("fortiguard-dns-doh");
  });

  test("packet vocabulary: ip-proto numbers, esp, icmp6, and what has no entry", () => {
    expect(best("ip", 50).id).toBe("ipsec-esp");
    expect(best("esp", null).id).toBe("ipsec-esp");
    expect(best("icmp", null).id).toBe("icmp-echo");
    expect(best("icmp6", null).id).toBe("icmp-echo");
    expect(best("ip", 1).id).toBe("icmp-echo");
    expect(best("ip", 89).id).toBe("ospf");
    expect(best("ether", 0x8890).id).toBe("ha-heartbeat");
    expect(best("UDP", 8889).id).toBe("fortimail-antispam-udp");
    expect(lookupService(cat, "arp", null)).toBeNull();
    expect(lookupService(cat, "udp", null)).toBeNull();
    expect(lookupService(cat, "udp", 40001)).toBeNull();
    expect(lookupService(cat, "ip", 47)).toBeNull();
  });

  test("multicast groups and broadcast rank entries that handle them", () => {
    expect(best("udp", 1900, { servers: ["239.255.255.250"] })).toMatchObject({ id: "ssdp", multicast: { reply: "unicast" } });
    expect(best("udp", 67, { servers: ["255.255.255.255"] })).toMatchObject({ id: "dhcp", broadcast: { reply: "broadcast" } });
    const base: ServiceEntry = { id: "a", name: "A", proto: "udp", ports: [9999], products: [], direction: "either", expectsReply: true, remedy: "x", sources: ["s"], precedence: 10 };
    const synthetic: Catalogue = [
      base,
      { ...base, id: "b", name: "B", precedence: 20, multicast: { groups: ["239.1.1.1"], reply: "none" } },
      { ...base, id: "c", name: "C", precedence: 30, broadcast: { reply: "none" } },
    ];
    expect(lookupService(synthetic, "udp", 9999)?.entry.id).toBe("a");
    expect(lookupService(synthetic, "udp", 9999, { servers: ["239.1.1.1"] })).toMatchObject({ entry: { id: "b" }, reason: "group" });
    expect(lookupService(synthetic, "udp", 9999, { servers: ["239.9.9.9"] })?.entry.id).toBe("b");
    expect(lookupService(synthetic, "udp", 9999, { servers: ["255.255.255.255"] })?.entry.id).toBe("c");
    expect(lookupService(synthetic, "udp", 9999, { servers: ["10.0.0.255"], group: true })?.entry.id).toBe("c");
  });

  test("a direction that contradicts the entry demotes it, never drops it", () => {
    const base: ServiceEntry = { id: "out", name: "Out", proto: "tcp", ports: [7000], products: [], direction: "outbound", expectsReply: true, remedy: "x", sources: ["s"], precedence: 10 };
    const synthetic: Catalogue = [base, { ...base, id: "any", name: "Any", direction: "either", precedence: 20 }];
    expect(lookupService(synthetic, "tcp", 7000, { direction: "inbound" })).toMatchObject({ entry: { id: "any" }, reason: "direction" });
    expect(lookupService(synthetic, "tcp", 7000, { direction: "outbound" })?.entry.id).toBe("out");
    expect(lookupService([base], "tcp", 7000, { direction: "inbound" })).toMatchObject({ entry: { id: "out" }, reason: "only" });
  });

  test("every port shared by built-in entries has a decided default", () => {
    const decided: Record<string, string> = {
      "udp/53": "dns-udp",
      "udp/8888": "fortiguard-rating-udp",
      "udp/8889": "fortimail-antispam-udp",
      "udp/443": "quic",
      "tcp/53": "dns-tcp",
      "tcp/443": "https",
      "tcp/22": "ssh",
      "tcp/80": "http",
    };
    const count = new Map<string, number>();
    for (const e of cat) for (const p of e.ports.length ? e.ports : [null]) count.set(`${e.proto}/${p ?? ""}`, (count.get(`${e.proto}/${p ?? ""}`) ?? 0) + 1);
    const shared = [...count].filter(([, n]) => n > 1).map(([k]) => k).sort();
    expect(shared).toEqual(Object.keys(decided).sort());
    for (const [key, id] of Object.entries(decided)) {
      const [proto, port] = key.split("/") as [string, string];
      expect({ key, id: best(proto, Number(port)).id }).toEqual({ key, id });
    }
  });
});

describe("adapters", () => {
  test("serviceFacts gives the verdict engine's fields, names the alternates", () => {
    expect(serviceFacts(cat, "udp", 8889)).toMatchObject({
      id: "fortimail-antispam-udp",
      name: "FortiGuard antispam rating",
      expectsReply: true,
      alsoUsedBy: ["FortiManager local FortiGuard antispam"],
    });
    expect(serviceFacts(cat, "udp", 8889)?.rejectedRemedy).toMatch(/set port 53/);
    expect(serviceFacts(cat, "udp", 514)).toMatchObject({ name: "Syslog", expectsReply: false, rejectedRemedy: null, alsoUsedBy: [] });
    expect(serviceFacts(cat, "udp", 40001)).toBeNull();
  });

  test("serviceInfoLookup and portFactsLookup", () => {
    const info = serviceInfoLookup(cat);
    expect(info("udp", 8889)?.name).toBe("FortiGuard antispam rating");
    expect(info("udp", 53)?.name).toBe("DNS");
    expect(info("udp", 53, { servers: ["82.71.226.65"] })?.name).toBe("FortiGuard antispam rating");
    expect(info("arp", null)).toBeNull();
    const facts = portFactsLookup(cat);
    expect(facts("udp", 514)).toEqual({ expectsReply: false, known: true });
    expect(facts("udp", 8889)).toEqual({ expectsReply: true, known: true });
    expect(facts("udp", 40001)).toBeNull();
  });
});

describe("mergeCatalogue", () => {
  test("an entry with a built-in id overrides only the fields it gives", () => {
    const r = mergeCatalogue(cat, [{ id: "syslog", name: "Syslog (corporate collector)", ports: [514, 5514] }]);
    expect(r.errors).toEqual([]);
    expect(r.overridden).toEqual(["syslog"]);
    expect(r.added).toEqual([]);
    const e = lookupService(r.catalogue, "udp", 5514)?.entry;
    expect(e).toMatchObject({ id: "syslog", name: "Syslog (corporate collector)", expectsReply: false, direction: "outbound" });
    expect(e?.sources).toEqual(byId("syslog").sources);
    expect(r.catalogue).toHaveLength(cat.length);
    // the built-in catalogue is untouched
    expect(byId("syslog").name).toBe("Syslog");
    expect(lookupService(cat, "udp", 5514)).toBeNull();
  });

  test("a new id adds an entry with defaults, ahead of built-ins on a shared port", () => {
    const r = mergeCatalogue(cat, { services: [{ id: "corp-app", name: "Corp app", proto: "udp", ports: [7777] }, { id: "corp-dns", name: "Corp resolver", proto: "udp", ports: [53], expectsReply: true, remedy: "Call the DNS team." }] }, "my.json");
    expect(r.errors).toEqual([]);
    expect(r.added).toEqual(["corp-app", "corp-dns"]);
    expect(lookupService(cat, "udp", 7777)).toBeNull();
    expect(lookupService(r.catalogue, "udp", 7777)?.entry).toEqual({
      id: "corp-app",
      name: "Corp app",
      proto: "udp",
      ports: [7777],
      products: [],
      direction: "either",
      expectsReply: true,
      remedy: null,
      sources: ["my.json"],
      precedence: 5,
    });
    const m = lookupService(r.catalogue, "udp", 53);
    expect(m?.entry.id).toBe("corp-dns");
    expect(m?.alternates[0]?.id).toBe("dns-udp");
  });

  test("valid entries apply even when others fail; nothing throws", () => {
    const r = mergeCatalogue(cat, [{ id: "corp-app", name: "Corp app", proto: "tcp", ports: [7000] }, { id: "bad", name: "Bad", proto: "tcp", ports: [0] }]);
    expect(r.errors).toEqual(['services.json: entry 2: "ports" must be an array of numbers 1-65535']);
    expect(r.added).toEqual(["corp-app"]);
    expect(lookupService(r.catalogue, "tcp", 7000)?.entry.id).toBe("corp-app");
    expect(entriesFor(r.catalogue, "tcp", 0)).toEqual([]);
  });

  test("the built-in entries pass the same validation", () => {
    const r = mergeCatalogue([], JSON.parse(JSON.stringify(cat)) as unknown);
    expect(r.errors).toEqual([]);
    expect(r.catalogue).toEqual(JSON.parse(JSON.stringify(cat)));
  });

  const valid = { id: "ok-one", name: "OK", proto: "udp", ports: [7001] };

  // [MESSAGES key, the second entry of the file, the expected message after "services.json: entry 2: "]
  const cases: [keyof typeof MESSAGES, unknown, string][] = [
    ["notObject", 42, "must be an object"],
    ["unknownField", { id: "syslog", port: [514] }, 'unknown field "port" (did you mean "ports"?)'],
    ["unknownField", { id: "syslog", colour: "red" }, 'unknown field "colour"'],
    ["required", { id: "new-one", proto: "udp", ports: [7002] }, '"name" is required for a new service (no entry has id "new-one")'],
    ["required", { id: "new-one", name: "N", ports: [7002] }, '"proto" is required for a new service (no entry has id "new-one")'],
    ["required", { id: "new-one", name: "N", proto: "tcp" }, '"ports" is required for a new service (no entry has id "new-one")'],
    ["id", { id: "Bad ID", name: "N", proto: "udp", ports: [1] }, MESSAGES.id],
    ["id", { name: "N", proto: "udp", ports: [1] }, '"id" is required'],
    ["duplicateId", { ...valid }, '"id" "ok-one" repeats entry 1'],
    ["name", { id: "syslog", name: " " }, '"name" must be a non-empty string'],
    ["proto", { id: "syslog", proto: "sctp" }, '"proto" must be one of "udp", "tcp", "icmp", "esp", "ip", "ether"'],
    ["ports", { id: "syslog", ports: [0] }, '"ports" must be an array of numbers 1-65535'],
    ["ports", { id: "syslog", ports: [65536] }, '"ports" must be an array of numbers 1-65535'],
    ["ports", { id: "syslog", ports: ["514"] }, '"ports" must be an array of numbers 1-65535'],
    ["ports", { id: "syslog", ports: 514 }, '"ports" must be an array of numbers 1-65535'],
    ["ports", { id: "syslog", ports: [51.4] }, '"ports" must be an array of numbers 1-65535'],
    ["portsEmpty", { id: "syslog", ports: [] }, '"ports" must list at least one port for proto "udp"'],
    ["portsIp", { id: "ospf", ports: [300] }, '"ports" must be an array of IP protocol numbers 0-255'],
    ["portsEther", { id: "ha-heartbeat", ports: [0x10] }, '"ports" must be an array of ethertypes 1536-65535 (0x0600-0xffff)'],
    ["portsNone", { id: "icmp-echo", ports: [8] }, '"ports" must be empty for proto "icmp"'],
    ["portsNone", { id: "syslog", proto: "esp" }, '"ports" must be empty for proto "esp"'],
    ["products", { id: "syslog", products: ["FortiGate", 7] }, '"products" must be an array of non-empty strings'],
    ["direction", { id: "syslog", direction: "out" }, '"direction" must be one of "outbound", "inbound", "either"'],
    ["expectsReply", { id: "syslog", expectsReply: "no" }, '"expectsReply" must be true or false'],
    ["multicast", { id: "ssdp", multicast: "239.255.255.250" }, MESSAGES.multicast],
    ["multicast", { id: "ssdp", multicast: { groups: ["239.255.255.250"], reply: "always" } }, MESSAGES.multicast],
    ["multicastGroups", { id: "ssdp", multicast: { groups: ["10.0.0.1"], reply: "none" } }, '"multicast.groups" must be a non-empty array of multicast addresses (224.0.0.0/4 or ff00::/8)'],
    ["broadcast", { id: "dhcp", broadcast: { reply: "maybe" } }, '"broadcast" must be an object {"reply": "none" | "unicast" | "broadcast"}'],
    ["remedy", { id: "syslog", remedy: "" }, '"remedy" must be a non-empty string or null'],
    ["rejectedRemedy", { id: "syslog", rejectedRemedy: null }, '"rejectedRemedy" must be a non-empty string'],
    ["notes", { id: "syslog", notes: "one note" }, '"notes" must be an array of strings'],
    ["sources", { id: "syslog", sources: [] }, '"sources" must be a non-empty array of non-empty strings'],
    ["hosts", { id: "syslog", hosts: ["log server.example"] }, '"hosts" must be an array of host names'],
    ["addresses", { id: "syslog", addresses: ["999.1.1.1"] }, '"addresses" must be an array of IP addresses'],
    ["precedence", { id: "syslog", precedence: 1.5 }, '"precedence" must be an integer 0-1000'],
  ];

  test.each(cases)("%s: %j", (_key, entry, message) => {
    const r = mergeCatalogue(cat, [valid, entry]);
    expect(r.errors).toEqual([`services.json: entry 2: ${message}`]);
    // the valid first entry is still applied, the bad one is not
    expect(r.added).toEqual(["ok-one"]);
    expect(r.overridden).toEqual([]);
  });

  test("every message has a case", () => {
    const covered = new Set<string>([...cases.map(([k]) => k), "topLevel", "notJson"]);
    expect(Object.keys(MESSAGES).filter((k) => !covered.has(k))).toEqual([]);
  });

  test("several problems in one entry are all reported, each naming entry and field", () => {
    const r = mergeCatalogue(cat, [{ id: "x-1", name: "", proto: "udp", ports: [0], direction: "up" }], "extra.json");
    expect(r.errors).toEqual([
      'extra.json: entry 1: "name" must be a non-empty string',
      'extra.json: entry 1: "direction" must be one of "outbound", "inbound", "either"',
      'extra.json: entry 1: "ports" must be an array of numbers 1-65535',
    ]);
    expect(r.catalogue).toBe(cat);
  });

  test("the file must be an array or {services: [...]}; JSON text errors are messages", () => {
    for (const bad of [{ entries: [] }, "text", null, 3, { services: [], extra: 1 }]) {
      expect(mergeCatalogue(cat, bad, "s.json").errors).toEqual([`s.json: ${MESSAGES.topLevel}`]);
    }
    const r = mergeCatalogueText(cat, "[{", "s.json");
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/^s\.json: not valid JSON: /);
    expect(r.catalogue).toBe(cat);
    expect(mergeCatalogueText(cat, '\uFEFF[{"id":"syslog","name":"S"}]').errors).toEqual([]);
  });
});

describe("catalogueRows", () => {
  const rows = catalogueRows(cat);

  test("one row per entry and port, with label, products, one-way and sources", () => {
    expect(rows).toHaveLength(cat.reduce((n, e) => n + Math.max(1, new Set(e.ports).size), 0));
    expect(rows.find((r) => r.proto === "udp" && r.port === 8889 && r.id === "fortimail-antispam-udp")).toEqual({
      id: "fortimail-antispam-udp",
      proto: "udp",
      port: 8889,
      label: "UDP/8889",
      name: "FortiGuard antispam rating",
      products: "FortiMail",
      direction: "outbound",
      oneWay: false,
      group: "",
      source: byId("fortimail-antispam-udp").sources.join("; "),
    });
    expect(rows.find((r) => r.id === "syslog")).toMatchObject({ label: "UDP/514", oneWay: true, products: "any" });
    expect(rows.find((r) => r.id === "icmp-echo")).toMatchObject({ port: null, label: "ICMP echo" });
    expect(rows.find((r) => r.id === "ipsec-esp")).toMatchObject({ port: null, label: "ESP" });
    expect(rows.find((r) => r.id === "ospf")).toMatchObject({ label: "IP protocol 89", group: "224.0.0.5, 224.0.0.6, ff02::5, ff02::6" });
    expect(rows.find((r) => r.id === "ha-heartbeat")).toMatchObject({ label: "Ethertype 0x8890" });
    expect(rows.find((r) => r.id === "dhcp")).toMatchObject({ group: "broadcast" });
  });

  test("sorted by proto, port, then lookup precedence on the port", () => {
    const udp53 = rows.filter((r) => r.proto === "udp" && r.port === 53).map((r) => r.id);
    expect(udp53[0]).toBe(best("udp", 53).id);
    const udp = rows.filter((r) => r.proto === "udp").map((r) => r.port ?? 0);
    expect(udp).toEqual([...udp].sort((a, b) => a - b));
    expect(rows[0]?.proto).toBe("udp");
    expect(rows.at(-1)?.proto).toBe("ether");
  });
});

describe("built-in data", () => {
  test("ids are unique and stable-looking", () => {
    const ids = cat.map((e) => e.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9][a-z0-9.-]*$/);
  });

  test("every entry has a source and a remedy whose first line is prose and the rest CLI", () => {
    const cli = /^(config|set|unset|edit|next|end|append|diagnose|execute|get|show)\b/;
    for (const e of cat) {
      expect({ id: e.id, sources: e.sources.length > 0 }).toEqual({ id: e.id, sources: true });
      for (const text of [e.remedy, e.rejectedRemedy]) {
        if (text === undefined && e.rejectedRemedy === undefined) continue;
        expect(typeof text).toBe("string");
        const [first, ...rest] = (text as string).split("\n");
        expect({ id: e.id, first: (first ?? "").trim().length > 20 }).toEqual({ id: e.id, first: true });
        for (const line of rest) {
          if (line.trim() === "") continue;
          expect({ id: e.id, line, cli: cli.test(line.trim()) }).toEqual({ id: e.id, line, cli: true });
        }
      }
      if (e.rejectedRemedy !== undefined) expect(e.rejectedRemedy).not.toBe(e.remedy);
    }
  });

  test("frozen: the shared catalogue cannot be changed by a caller", () => {
    expect(Object.isFrozen(cat)).toBe(true);
    expect(Object.isFrozen(byId("syslog"))).toBe(true);
    expect(Object.isFrozen(byId("syslog").ports)).toBe(true);
  });

  test("one-way services and group handling", () => {
    const oneWay = cat.filter((e) => !e.expectsReply).map((e) => e.id);
    expect(oneWay).toEqual(expect.arrayContaining(["syslog", "snmp-trap", "netflow", "sflow", "fortiguard-push", "ssdp", "mdns", "llmnr", "ospf", "vrrp", "ha-heartbeat"]));
    expect(byId("ssdp").multicast?.groups).toContain("239.255.255.250");
    expect(byId("dhcp").ports).toEqual([67, 68]);
    expect(byId("vrrp").multicast?.groups).toContain("224.0.0.18");
  });

  test("the seed's disagreement on FortiMail antispam ports is recorded, not resolved silently", () => {
    const notes = byId("fortimail-antispam-udp").notes?.join(" ") ?? "";
    expect(notes).toMatch(/disagree/);
    expect(notes).toMatch(/8889/);
    expect(notes).toMatch(/443 \| 53 \| 8888/);
  });

  test("the well-known generic services are present", () => {
    const want: [string, number | null][] = [
      ["udp", 53], ["tcp", 53], ["udp", 123], ["tcp", 80], ["tcp", 443], ["tcp", 22], ["udp", 1812], ["udp", 1813], ["udp", 1645], ["udp", 1646],
      ["tcp", 389], ["tcp", 636], ["tcp", 49], ["tcp", 25], ["tcp", 465], ["tcp", 587], ["udp", 500], ["udp", 4500], ["udp", 514], ["udp", 161],
      ["udp", 162], ["tcp", 179], ["udp", 67], ["udp", 68],
    ];
    expect(want.filter(([p, n]) => lookupService(cat, p, n) === null)).toEqual([]);
  });
});

const factsPath = fileURLToPath(new URL("../../shared/spec/fortinet-services.md", import.meta.url));
const haveFacts = existsSync(factsPath);

describeIfPresent(haveFacts, `the services facts file ${factsPath}`)("against ../shared/spec/fortinet-services.md", () => {
  const facts = haveFacts ? readFileSync(factsPath, "utf8").replace(/\\\|/g, "|") : "";
  const external = /^(IANA service registry|RFC \d+)$/;

  test("every source is cited verbatim from the facts file, or is the IANA registry / an RFC", () => {
    const bad: string[] = [];
    for (const e of cat) for (const s of e.sources) if (!external.test(s) && !facts.includes(s)) bad.push(`${e.id}: ${s}`);
    expect(bad).toEqual([]);
  });

  test("every port in the facts file has an entry", () => {
    const want: [string, number | null][] = [
      ["udp", 53], ["udp", 8888], ["udp", 8889], ["tcp", 53], ["tcp", 8888], ["tcp", 443], ["tcp", 8889], ["tcp", 8890], ["udp", 9443],
      ["tcp", 853], ["tcp", 9582], ["udp", 123], ["udp", 500], ["udp", 4500], ["esp", null], ["udp", 50000], ["tcp", 10443], ["udp", 443],
      ["tcp", 22], ["tcp", 80], ["tcp", 541], ["tcp", 542], ["tcp", 514], ["udp", 514], ["udp", 161], ["udp", 162], ["udp", 1812], ["udp", 1813],
      ["udp", 1645], ["udp", 1646], ["udp", 3799], ["tcp", 389], ["tcp", 636], ["tcp", 8000], ["tcp", 8001], ["tcp", 8002], ["tcp", 8003],
      ["tcp", 703], ["udp", 703], ["ether", 0x8890], ["ether", 0x8891], ["ether", 0x8893], ["udp", 5246], ["udp", 5247], ["tcp", 8013],
      ["udp", 8014], ["udp", 67], ["udp", 68], ["udp", 1900], ["udp", 5353], ["udp", 5355],
    ];
    expect(want.filter(([p, n]) => lookupService(cat, p, n) === null)).toEqual([]);
  });

  test("the host names the facts file lists belong to entries", () => {
    const hosts = new Set(cat.flatMap((e) => e.hosts ?? []));
    for (const h of ["service.fortiguard.net", "securewf.fortiguard.net", "update.fortiguard.net", "guard.fortinet.net", "globalupdate.fortinet.net", "globalguardservice.fortinet.net", "antispam.fortigate.com", "flow.fortinet.net"]) {
      expect(facts).toContain(h);
      expect({ h, known: hosts.has(h) }).toEqual({ h, known: true });
    }
    for (const a of byId("fortimail-antispam-udp").addresses ?? []) expect(facts).toContain(a);
  });

  test("the CLI the facts file gives appears in the remedies", () => {
    const remedies = cat.map((e) => `${e.remedy ?? ""}\n${e.rejectedRemedy ?? ""}`).join("\n");
    for (const cmd of ["diagnose debug rating", "ip-src-port-range", "execute nslookup name", "execute traceroute <address>", "config system fortiguard antivirus", "diagnose debug application updated 7", "execute update now", "FortiGuard-Antispam: No Answer from server.", "fortiguard-anycast"]) {
      expect(facts).toContain(cmd);
      expect({ cmd, present: remedies.includes(cmd) }).toEqual({ cmd, present: true });
    }
  });
});
