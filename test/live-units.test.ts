/**
 * The pieces of live mode that need no connection: `[user@]host[:port]`, known_hosts (plain,
 * hashed by OpenSSH, wildcards, negation, revoked), SHA256 fingerprints as ssh-keygen prints them,
 * FortiOS prompts and status, the sniffer command and the own-session exclusion.
 */
import { readFileSync } from "node:fs";
import { checkHostKey, hostFieldMatches, keysFor, knownHostsLine, sha256Fingerprint } from "../src/cli/live/known-hosts.js";
import { knownHostsName, parseTarget } from "../src/cli/live/target.js";
import { commandFailure, parseSystemStatus, promptAt, quoteFilter, snifferCommand, vdomsEnabled, withExclusion } from "../src/cli/live/fortios.js";
import { debugFlowSetup, filterAddresses } from "../src/cli/live/debugflow.js";
import { repoRoot } from "./helpers/corpus.js";

const hashed = readFileSync(`${repoRoot}test/fixtures/live/known_hosts.hashed`, "utf8");
const blob = Buffer.from("AAAAC3NzaC1lZDI1NTE5AAAAIMu6szrSmHIBbbuSiM9Y6MWTb8xO3jsP3Ww1FvufWz95", "base64");

describe("known_hosts", () => {
  test("entries hashed by ssh-keygen -H match their host names, and only them", () => {
    expect(checkHostKey(hashed, "[127.0.0.1]:2222", blob)).toEqual({ status: "known", line: 2 });
    expect(checkHostKey(hashed, "fgt-lab.example.net", blob)).toEqual({ status: "known", line: 3 });
    expect(checkHostKey(hashed, "192.0.2.1", blob)).toEqual({ status: "known", line: 4 });
    expect(checkHostKey(hashed, "127.0.0.1", blob).status).toBe("unknown");
    expect(checkHostKey(hashed, "[127.0.0.1]:2223", blob).status).toBe("unknown");
  });

  test("the fingerprint is the one ssh-keygen -lf prints", () => {
    expect(sha256Fingerprint(blob)).toBe("SHA256:nR80dVxDmTmYSzZK098511muClM47C0rebwp4gbqYXQ");
  });

  test("another key of the same type is a changed key; another type is unknown", () => {
    const other = Buffer.concat([blob.subarray(0, blob.length - 1), Buffer.from([blob[blob.length - 1]! ^ 1])]);
    const changed = checkHostKey(hashed, "192.0.2.1", other);
    expect(changed).toEqual({ status: "changed", line: 4, expectedFingerprint: "SHA256:nR80dVxDmTmYSzZK098511muClM47C0rebwp4gbqYXQ" });
    const rsa = Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from("ssh-rsa"), Buffer.from([0, 0, 0, 1, 3])]);
    expect(checkHostKey(hashed, "192.0.2.1", rsa)).toEqual({ status: "unknown", knownTypes: ["ssh-ed25519"] });
  });

  test("comma lists, wildcards, negation, @revoked, @cert-authority", () => {
    expect(hostFieldMatches("fgt1,fgt2.example.net", "fgt2.example.net")).toBe(true);
    expect(hostFieldMatches("*.example.net,!bad.example.net", "fgt.example.net")).toBe(true);
    expect(hostFieldMatches("*.example.net,!bad.example.net", "bad.example.net")).toBe(false);
    expect(hostFieldMatches("fgt?", "fgt1")).toBe(true);
    expect(hostFieldMatches("[10.0.0.1]:2222", "[10.0.0.1]:2222")).toBe(true);
    expect(hostFieldMatches("[10.0.0.1]:2222", "10.0.0.1")).toBe(false);
    const key = blob.toString("base64");
    const text = `@cert-authority * ssh-ed25519 ${key}\n@revoked fgt ssh-ed25519 ${key}\n`;
    expect(keysFor(text, "fgt").map((k) => k.revoked)).toEqual([true]);
    expect(checkHostKey(text, "fgt", blob)).toEqual({ status: "revoked", line: 2 });
  });

  test("a line it writes, hashed or not, is read back", () => {
    for (const h of [false, true]) {
      const line = knownHostsLine("[fgt]:2222", blob, h);
      expect(line.startsWith(h ? "|1|" : "[fgt]:2222 ssh-ed25519 ")).toBe(true);
      expect(checkHostKey(line, "[fgt]:2222", blob).status).toBe("known");
      expect(checkHostKey(line, "fgt", blob).status).toBe("unknown");
    }
  });
});

describe("[user@]host[:port]", () => {
  test.each([
    ["fgt", { user: "me", host: "fgt", port: 22 }],
    ["admin@192.0.2.1", { user: "admin", host: "192.0.2.1", port: 22 }],
    ["admin@fgt:2222", { user: "admin", host: "fgt", port: 2222 }],
    ["admin@[2001:db8::1]:2222", { user: "admin", host: "2001:db8::1", port: 2222 }],
    ["2001:db8::1", { user: "me", host: "2001:db8::1", port: 22 }],
    ["a@b@fgt", { user: "a@b", host: "fgt", port: 22 }],
  ])("%s", (text, want) => {
    expect(parseTarget(text, "me")).toEqual(want);
  });
  test.each(["@fgt", "fgt:ssh", "fgt:0", "fgt:70000", ""])("%s is refused", (text) => {
    expect(() => parseTarget(text, "me")).toThrow();
  });
  test("known_hosts names", () => {
    expect(knownHostsName("fgt", 22)).toBe("fgt");
    expect(knownHostsName("fgt", 2222)).toBe("[fgt]:2222");
  });
});

describe("FortiOS", () => {
  test("prompts in their forms, after a console line's CR too; not a Linux prompt", () => {
    expect(promptAt("FGT # ")).toEqual({ hostname: "FGT", context: null });
    expect(promptAt("FGT-LAB (root) # ")).toEqual({ hostname: "FGT-LAB", context: "root" });
    expect(promptAt("FG600C3913802320 (global) # ")).toEqual({ hostname: "FG600C3913802320", context: "global" });
    expect(promptAt("ro-admin-view $ ")).toEqual({ hostname: "ro-admin-view", context: null });
    expect(promptAt("noise\rFGT # ")).toEqual({ hostname: "FGT", context: null });
    expect(promptAt("user@linux:~$ ")).toBeNull();
    expect(promptAt("FGT # diagnose")).toBeNull();
  });

  test("get system status", () => {
    const s = parseSystemStatus("Version: FortiGate-60F v7.4.4,build2662,240514 (GA.F)\r\nHostname: FGT-60F\r\nCurrent virtual domain: root\r\nVirtual domain configuration: multiple\r\n");
    expect(s).toEqual({ hostname: "FGT-60F", version: "FortiGate-60F v7.4.4,build2662,240514 (GA.F)", vdomConfiguration: "multiple", currentVdom: "root" });
    expect(vdomsEnabled(s)).toBe(true);
    expect(vdomsEnabled(parseSystemStatus("Virtual domain configuration: disable\n"))).toBe(false);
  });

  test("the sniffer command and the own-session exclusion", () => {
    expect(snifferCommand({ iface: "any", filter: withExclusion("port 53", "not (host 198.51.100.7 and port 51234)"), verbose: 4, count: 0 })).toBe(
      "diagnose sniffer packet any '(port 53) and not (host 198.51.100.7 and port 51234)' 4 0 a",
    );
    expect(withExclusion(null, "not (host a and port 1)")).toBe("not (host a and port 1)");
    expect(withExclusion("none", null)).toBe("none");
    expect(quoteFilter("host 'x'")).toBe(`"host 'x'"`);
    expect(() => quoteFilter(`'a' "b"`)).toThrow();
  });

  test("lines that mean the command did not run", () => {
    expect(commandFailure("pcap_compile: syntax error")).toEqual({ kind: "filter-rejected", message: "pcap_compile: syntax error" });
    expect(commandFailure("Command fail. Return code -37")?.kind).toBe("not-allowed");
    expect(commandFailure("2010-10-27 12:40:19.050364 port1 out 82.x.x.x.59730 -> 82.71.226.65.8889: udp 64")).toBeNull();
  });

  test("debug flow: the filter's addresses", () => {
    expect(filterAddresses("host 10.0.1.10 and (dst 8.8.8.8 or host 10.0.1.10) and port 53")).toEqual(["10.0.1.10", "8.8.8.8"]);
    expect(filterAddresses("net 10.1.0.0/16 or net 10.2.0.0 mask 255.255.0.0")).toEqual([]);
    expect(filterAddresses("port 53")).toEqual([]);
    expect(debugFlowSetup(["10.0.1.10", "8.8.8.8"], 20)).toContain("diagnose debug flow filter addr 10.0.1.10 8.8.8.8 and");
  });
});
