/**
 * The line grammar of `diagnose sniffer packet` output: one parser instance, built once, that
 * classifies a cleaned line and parses its fields with embedded actions (no CST).
 * Rule names follow ../shared/spec/sniffer-format.md: command (1.1), preamble and trailer (2),
 * packetHeader and its summaries (3.2–3.8), hexRow (4).
 */
import { EmbeddedActionsParser, type IOrAlt, type IToken, type OrMethodOpts } from "chevrotain";
import * as T from "./tokens.js";
import type { LineShape, HeaderShape, SummaryShape, PreambleItem, IcmpShape } from "./shapes.js";

/**
 * One instance, reused for every line. Alternatives are built once and cached (`OR(this.alts ??= …)`
 * instead of a fresh array of closures per call): a cached alternative must not close over a rule
 * invocation's locals, so what a rule shares with its alternatives lives in the fields below (no
 * rule that sets them is re-entered before it has read them back).
 */
class SnifferLineParser extends EmbeddedActionsParser {
  /** promptLine: the prompt the alternatives continue from */
  private prompt = "";
  /** packetHeader: the timestamp token and the `iface dir` fields of the alternative taken */
  private stamp: IToken | null = null;
  private iface: string | null = null;
  private dir: HeaderShape["dir"] = null;
  /** icmpText: where the ICMP words start */
  private icmpStart = -1;

  private lineAlts?: OrMethodOpts<LineShape>;
  private promptAlts?: IOrAlt<LineShape>[];
  private commandAlts?: IOrAlt<void>[];
  private trailerAlts?: IOrAlt<LineShape>[];
  private stampAlts?: IOrAlt<void>[];
  private bodyAlts?: OrMethodOpts<BodyShape>;
  private summaryAlts?: OrMethodOpts<SummaryShape>;
  private tcpAlts?: IOrAlt<SummaryShape>[];
  private icmpAlts?: OrMethodOpts<IcmpShape>;
  private arpAlts?: IOrAlt<ArpShape>[];

  constructor() {
    super(T.allTokens, {
      recoveryEnabled: false,
      maxLookahead: 2,
      skipValidations: !T.validateGrammars,
    });
    this.performSelfAnalysis();
  }

  /** line: hexRow | packetHeader | trailer | preamble | command | promptLine */
  line = this.RULE("line", (): LineShape => {
    return this.OR(
      (this.lineAlts ??= {
        IGNORE_AMBIGUITIES: true,
        DEF: [
          { ALT: () => ({ kind: "hexRow", image: this.CONSUME(T.HexRow).image }) as LineShape },
          { ALT: () => this.SUBRULE(this.packetHeader) },
          { ALT: () => this.SUBRULE(this.trailer) },
          { ALT: () => this.SUBRULE(this.preamble) },
          { ALT: () => this.SUBRULE(this.promptLine) },
          { ALT: () => this.SUBRULE(this.command, { ARGS: [null] }) },
        ],
      }),
    );
  });

  // ---- 1.1 the command echo ----------------------------------------------------------------------

  promptLine = this.RULE("promptLine", (): LineShape => {
    this.prompt = this.CONSUME(T.Prompt).image;
    return this.OR(
      (this.promptAlts ??= [
        { ALT: () => this.SUBRULE(this.command, { ARGS: [this.prompt] }) },
        { ALT: () => this.SUBRULE(this.preamble) },
        { ALT: () => ({ kind: "prompt", prompt: this.prompt, rest: "" }) as LineShape },
      ]),
    );
  });

  command = this.RULE("command", (prompt: string | null): LineShape => {
    const first = this.CONSUME(T.DiagnoseKw);
    this.OR(
      (this.commandAlts ??= [
        {
          ALT: () => {
            this.CONSUME(T.SnifferKw);
            this.CONSUME(T.PacketKw);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.NetworkKw);
            this.CONSUME2(T.SnifferKw);
          },
        },
      ]),
    );
    const args: IToken[] = [];
    this.MANY(() => {
      args.push(this.CONSUME(T.AnyWord));
    });
    return this.ACTION(() => ({ kind: "command", prompt, startOffset: first.startOffset, args: args.map(argText) }) as LineShape);
  });

  // ---- 2 preamble and trailer --------------------------------------------------------------------

  preamble = this.RULE("preamble", (): LineShape => {
    const items: PreambleItem[] = [];
    this.AT_LEAST_ONE(() => {
      // one token class for the eight items (a category), not eight single-token alternatives
      const tok = this.CONSUME(T.PreambleToken);
      this.ACTION(() => items.push(preambleItem(tok)));
    });
    return { kind: "preamble", items };
  });

  trailer = this.RULE("trailer", (): LineShape => {
    return this.OR(
      (this.trailerAlts ??= [
        {
          ALT: () => {
            const n = this.CONSUME(T.Number);
            this.CONSUME(T.ReceivedByFilter);
            return { kind: "trailer", field: "received", count: Number(n.image) } as LineShape;
          },
        },
        {
          ALT: () => {
            const n = this.CONSUME2(T.Number);
            this.CONSUME(T.DroppedByKernel);
            return { kind: "trailer", field: "dropped", count: Number(n.image) } as LineShape;
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.CtrlC);
            return { kind: "trailer", field: "ctrl-c", count: null } as LineShape;
          },
        },
      ]),
    );
  });

  // ---- 3 the packet header -------------------------------------------------------------------------

  packetHeader = this.RULE("packetHeader", (): LineShape => {
    let slot: string | null = null;
    this.OPTION(() => {
      // the blade's name, trimmed, from the matcher
      slot = this.CONSUME(T.SlotPrefix).payload as string;
    });
    this.stamp = null;
    this.iface = null;
    this.dir = null;
    this.OR1(
      (this.stampAlts ??= [
        {
          ALT: () => {
            this.stamp = this.CONSUME(T.Timestamp);
            this.OPTION2(() => this.ifaceDir(this.CONSUME(T.IfaceDir)));
          },
        },
        // a header printed without its timestamp (KB articles): `port3 in 10.1.1.1.55826 -> ...`
        { ALT: () => this.ifaceDir(this.CONSUME(T.BareIfaceDir)) },
      ]),
    );
    const stamp = this.stamp as IToken | null;
    const iface = this.iface;
    const dir = this.dir;
    const body = this.SUBRULE(this.headerBody);
    return this.ACTION(() => {
      const header: HeaderShape = {
        slot,
        timestamp: stamp?.image ?? "",
        absolute: stamp?.tokenType === T.AbsTimestamp,
        iface,
        dir,
        ...body,
      };
      return { kind: "header", header } as LineShape;
    });
  });

  /** The `iface dir` fields, as the matcher read them (tokens.ts `IfaceDirPayload`). */
  private ifaceDir(tok: IToken): void {
    this.ACTION(() => {
      const p = tok.payload as T.IfaceDirPayload;
      this.iface = p.iface;
      this.dir = p.dir;
    });
  }

  headerBody = this.RULE("headerBody", (): BodyShape => {
    return this.OR(
      (this.bodyAlts ??= {
        IGNORE_AMBIGUITIES: true,
        DEF: [
          { ALT: () => this.SUBRULE(this.ipBody) },
          { ALT: () => this.SUBRULE(this.arpBody) },
          { ALT: () => this.SUBRULE(this.stpBody) },
          { ALT: () => this.SUBRULE(this.vlanBody) },
          { ALT: () => this.SUBRULE(this.otherBody) },
        ],
      }),
    );
  });

  /** 3.2–3.5, 3.7: `src -> dst: summary` */
  ipBody = this.RULE("ipBody", (): BodyShape => {
    const src = this.CONSUME(T.SrcEndpoint);
    this.CONSUME(T.Arrow);
    const dst = this.CONSUME(T.DstEndpoint);
    this.OPTION(() => this.CONSUME(T.Colon));
    const summary = this.SUBRULE(this.ipSummary);
    return { src: src.image, dst: dst.image, summaryStart: summary.start, summary: summary.shape };
  });

  ipSummary = this.RULE("ipSummary", (): { start: number; shape: SummaryShape } => {
    const start = offsetOf(this.LA(1));
    const shape = this.OR(
      (this.summaryAlts ??= {
        IGNORE_AMBIGUITIES: true,
        DEF: [
          { ALT: () => this.SUBRULE(this.tcpSummary) },
          { ALT: () => this.SUBRULE(this.udpSummary) },
          { ALT: () => this.SUBRULE(this.icmpSummary) },
          { ALT: () => this.SUBRULE(this.icmp6Summary) },
          {
            ALT: () => {
              const p = this.CONSUME(T.IpProto);
              const len = this.CONSUME(T.Number);
              this.SUBRULE(this.rest);
              return { proto: "ip", ipProto: Number(p.image.slice(9)), length: Number(len.image) } as SummaryShape;
            },
          },
          {
            ALT: () => {
              const e = this.CONSUME(T.Esp);
              this.SUBRULE2(this.rest);
              // SPI and sequence number from the matcher (tokens.ts `EspPayload`)
              return this.ACTION(() => ({ proto: "esp", esp: e.payload as T.EspPayload }) as SummaryShape);
            },
          },
          {
            ALT: () => {
              this.SUBRULE3(this.rest);
              return { proto: "other" } as SummaryShape;
            },
          },
        ],
      }),
    );
    return { start, shape };
  });

  /** `syn 3866615832`, `syn 2766022533 ack 3866615833`, `psh N ack N`, pure ACK `ack N`. */
  tcpSummary = this.RULE("tcpSummary", (): SummaryShape => {
    return this.OR(
      (this.tcpAlts ??= [
        {
          ALT: () => {
            const flags: string[] = [];
            this.AT_LEAST_ONE(() => {
              flags.push(this.CONSUME(T.TcpFlag).image);
            });
            const seq = this.CONSUME(T.Number);
            let ack: IToken | null = null;
            this.OPTION(() => {
              this.CONSUME(T.Ack);
              ack = this.CONSUME2(T.Number);
            });
            this.SUBRULE(this.rest);
            return this.ACTION(() => {
              const ackImage = (ack as IToken | null)?.image;
              if (ackImage !== undefined) flags.push("ack");
              return { proto: "tcp", flags, seq: Number(seq.image), ack: ackImage === undefined ? null : Number(ackImage) } as SummaryShape;
            });
          },
        },
        {
          ALT: () => {
            this.CONSUME2(T.Ack);
            const n = this.CONSUME3(T.Number);
            this.SUBRULE2(this.rest);
            return { proto: "tcp", flags: ["ack"], seq: null, ack: Number(n.image) } as SummaryShape;
          },
        },
      ]),
    );
  });

  /** `udp 64`, `udp 146 [hlim 1] (len 154)` */
  udpSummary = this.RULE("udpSummary", (): SummaryShape => {
    this.CONSUME(T.Udp);
    const n = this.CONSUME(T.Number);
    this.SUBRULE(this.rest);
    return { proto: "udp", length: Number(n.image) } as SummaryShape;
  });

  icmpSummary = this.RULE("icmpSummary", (): SummaryShape => {
    this.CONSUME(T.IcmpColon);
    const icmp = this.SUBRULE(this.icmpText);
    return { proto: "icmp", icmp } as SummaryShape;
  });

  /** `[icmp6 sum ok] icmp6: neighbor sol: ...`, `icmp6: echo request seq 415` */
  icmp6Summary = this.RULE("icmp6Summary", (): SummaryShape => {
    this.OPTION(() => this.CONSUME(T.Bracketed));
    this.CONSUME(T.Icmp6Colon);
    const icmp = this.SUBRULE(this.icmpText);
    return { proto: "icmp6", icmp } as SummaryShape;
  });

  /** The words after `icmp:`: echo request/reply (with `seq N`), `<host> udp port N unreachable`, or free text. */
  icmpText = this.RULE("icmpText", (): IcmpShape => {
    this.icmpStart = offsetOf(this.LA(1));
    return this.OR(
      (this.icmpAlts ??= {
        IGNORE_AMBIGUITIES: true,
        DEF: [
          {
            ALT: () => {
              this.CONSUME(T.Echo);
              // `request` or `reply`: one token class (a category), not two alternatives
              const which = this.CONSUME(T.EchoKind);
              let seq: number | null = null;
              this.OPTION(() => {
                this.CONSUME(T.Seq);
                seq = Number(this.CONSUME(T.Number).image);
              });
              this.SUBRULE(this.rest);
              return this.ACTION(() => ({
                start: this.icmpStart,
                kind: which.tokenType === T.Request ? "echo-request" : "echo-reply",
                seq,
                unreachable: null,
              })) as IcmpShape;
            },
          },
          {
            // `<host> <proto> port <n> unreachable`: five tokens, beyond the LL(2) lookahead
            GATE: () => this.LA(3).tokenType === T.Port && this.LA(5).tokenType === T.Unreachable,
            ALT: () => {
              const host = this.CONSUME(T.AnyWord);
              const proto = this.CONSUME2(T.AnyWord);
              this.CONSUME(T.Port);
              const port = this.CONSUME2(T.Number);
              this.CONSUME(T.Unreachable);
              this.SUBRULE2(this.rest);
              return {
                start: this.icmpStart,
                kind: "unreachable",
                seq: null,
                unreachable: { host: host.image, proto: proto.image, port: Number(port.image) },
              } as IcmpShape;
            },
          },
          {
            ALT: () => {
              this.SUBRULE3(this.rest);
              return { start: this.icmpStart, kind: "other", seq: null, unreachable: null } as IcmpShape;
            },
          },
        ],
      }),
    );
  });

  /** 3.6 `arp who-has X [(mac)] tell Y`, `arp reply X is-at MAC` */
  arpBody = this.RULE("arpBody", (): BodyShape => {
    const arp = this.CONSUME(T.Arp);
    const shape = this.OR(
      (this.arpAlts ??= [
        {
          ALT: () => {
            this.CONSUME(T.WhoHas);
            const target = this.CONSUME(T.AnyWord).image;
            let mac: string | null = null;
            this.OPTION(() => {
              mac = this.CONSUME(T.Parenthesized).image.slice(1, -1);
            });
            this.CONSUME(T.Tell);
            const sender = this.CONSUME2(T.AnyWord).image;
            return { op: "who-has", target, sender, mac } as ArpShape;
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Reply);
            const target = this.CONSUME3(T.AnyWord).image;
            this.CONSUME(T.IsAt);
            const mac = this.CONSUME4(T.AnyWord).image;
            return { op: "reply", target, sender: null, mac } as ArpShape;
          },
        },
      ]),
    );
    this.SUBRULE(this.rest);
    return { src: null, dst: null, summaryStart: arp.startOffset, summary: { proto: "arp", arp: shape } };
  });

  /** 3.8 `stp 802.1w, rapid stp, flags [forward], bridge-id ...` */
  stpBody = this.RULE("stpBody", (): BodyShape => {
    const stp = this.CONSUME(T.Stp);
    this.SUBRULE(this.rest);
    return { src: null, dst: null, summaryStart: stp.startOffset, summary: { proto: "stp" } };
  });

  /** 3.8 `802.1Q vlan#10 P0` */
  vlanBody = this.RULE("vlanBody", (): BodyShape => {
    const q = this.CONSUME(T.Dot1Q);
    const tag = this.CONSUME(T.VlanTag);
    let priority = 0;
    this.OPTION(() => {
      priority = Number(this.CONSUME(T.Priority).image.slice(1));
    });
    this.SUBRULE(this.rest);
    return this.ACTION(() => ({
      src: null,
      dst: null,
      summaryStart: q.startOffset,
      summary: { proto: "vlan", vlan: { id: Number(tag.image.slice(5)), priority } } as SummaryShape,
    }));
  });

  /** Anything else after a valid timestamp: kept as `proto: "other"` with the raw summary. */
  otherBody = this.RULE("otherBody", (): BodyShape => {
    const start = offsetOf(this.LA(1));
    this.SUBRULE(this.rest);
    return { src: null, dst: null, summaryStart: start, summary: { proto: "other" } };
  });

  rest = this.RULE("rest", (): void => {
    this.MANY(() => this.CONSUME(T.AnyWord));
  });
}

type ArpShape = { op: "who-has" | "reply"; target: string; sender: string | null; mac: string | null };

/** What a header body contributes to HeaderShape. */
export interface BodyShape {
  src: string | null;
  dst: string | null;
  /** offset in the line where the summary text starts (-1: at the end) */
  summaryStart: number;
  summary: SummaryShape;
}

/** A token's offset in the line; -1 at the end of the line (chevrotain's EOF has NaN). */
function offsetOf(tok: IToken): number {
  return Number.isNaN(tok.startOffset) ? -1 : tok.startOffset;
}

function preambleItem(tok: IToken): PreambleItem {
  const image = tok.image;
  switch (tok.tokenType) {
    case T.InterfacesAssign:
      return { field: "interfaces", value: image.slice("interfaces=[".length, -1) };
    case T.FiltersAssign:
      return { field: "filters", value: image.slice("filters=[".length, -1) };
    case T.SniffingMode:
      return { field: "mode", value: image };
    case T.PcapMessage:
      return { field: "pcap", value: image };
    case T.SystemTime:
      return { field: "system-time", value: image.slice("System Time:".length).trim() };
    case T.CountAssign:
      return { field: "count", value: image.slice("count=".length) };
    case T.SnaplenAssign:
      return { field: "snaplen", value: image.slice("snaplen=".length) };
    default:
      return { field: "linktype", value: image.slice(image.indexOf("=") + 1).trim() };
  }
}

function argText(tok: IToken): string {
  const s = tok.image;
  if (tok.tokenType === T.Quoted) return s.slice(1, -1);
  return s;
}

export const snifferLineParser = new SnifferLineParser();
