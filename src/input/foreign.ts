/**
 * Output of other tools, named when an input holds no FortiOS sniffer output, so the message says
 * what the file is and what to do instead of only "no sniffer output found". Pure; looks at the
 * start of the input only.
 */

export interface ForeignOutput {
  /** what it is, e.g. `tcpdump output` */
  what: string;
  /** what to do with it */
  advice: string;
}

/** tcpdump's packet line: time (optionally with a date), a protocol word, `src > dst`. */
const TCPDUMP_PACKET = /^(?:\d{4}-\d\d-\d\d[ T])?\d\d:\d\d:\d\d\.\d{6}\s+(?:IP6?|ARP,|STP|LLDP|CDP|vlan \d+|\S+ (?:In|Out|P|B|M)\s+IP6?|[0-9a-f]{2}(?::[0-9a-f]{2}){5} >)\s.*\s>\s/;
const TCPDUMP_BANNER = /^(?:tcpdump: |listening on \S+, link-type |\d+ packets? (?:captured|received by filter|dropped by kernel)$|\s*0x[0-9a-f]{4}:\s+[0-9a-f]{4}(?: [0-9a-f]{4}){0,7}\s)/;

const PCAP_MAGIC = [
  [0xd4, 0xc3, 0xb2, 0xa1],
  [0xa1, 0xb2, 0xc3, 0xd4],
  [0x4d, 0x3c, 0xb2, 0xa1],
  [0xa1, 0xb2, 0x3c, 0x4d],
];

/** Name the tool whose output `head` (the first kilobytes of an input) is, or null. */
export function recognizeForeignOutput(head: string | Uint8Array): ForeignOutput | null {
  if (typeof head !== "string") {
    if (head.length >= 4 && head[0] === 0x0a && head[1] === 0x0d && head[2] === 0x0d && head[3] === 0x0a) {
      return { what: "a pcapng file", advice: "open it in Wireshark; sniffdiag reads the text the FortiOS sniffer prints" };
    }
    if (head.length >= 4 && PCAP_MAGIC.some((m) => m.every((b, i) => head[i] === b))) {
      return { what: "a pcap file", advice: "open it in Wireshark; sniffdiag reads the text the FortiOS sniffer prints" };
    }
    return null;
  }
  let packets = 0;
  let banners = 0;
  for (const raw of head.split("\n", 400)) {
    const line = raw.replace(/\r$/, "");
    if (TCPDUMP_PACKET.test(line)) packets++;
    else if (TCPDUMP_BANNER.test(line)) banners++;
  }
  if (packets > 0 || banners >= 2) {
    return {
      what: "tcpdump output (as FortiAuthenticator, FortiSandbox or Linux print it), not the FortiOS sniffer",
      advice: "convert it with text2pcap (tcpdump -x/-xx hex) or capture with `diagnose sniffer packet` on the FortiGate",
    };
  }
  return null;
}

/** "no sniffer output found", naming the tool when `head` is another tool's output (CLI and web page alike). */
export function noSnifferOutputMessage(head: string | Uint8Array): string {
  const foreign = recognizeForeignOutput(head) ?? (typeof head === "string" ? null : recognizeForeignOutput(new TextDecoder().decode(head)));
  return foreign === null ? "no sniffer output found" : `no sniffer output found: this is ${foreign.what}; ${foreign.advice}`;
}
