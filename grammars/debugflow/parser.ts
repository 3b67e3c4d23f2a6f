/**
 * The line grammar of `diagnose debug flow` output: one parser instance, built once, with two
 * entry rules fed by the two lexers of tokens.ts (embedded actions, no CST, LL(2)).
 * Rule names follow ../shared/spec/debug-flow.md: `traceLine` and `record` (§2.1, the record
 * envelope), `packetMessage` (§2.2, the `received a packet` line).
 *
 * Deviation from the spec's probe regex: a record must start the line (after an optional list
 * marker and prompt), so prose that quotes a record (S15: `The message "id=36870 trace_id=615 ...`)
 * is not a record; records may follow each other on one line (S19).
 */
import { EmbeddedActionsParser, type IToken } from "chevrotain";
import * as T from "./tokens.js";
import type { PacketLineShape, TraceRecordShape } from "./shapes.js";

/** What `traceLine` returns: the records and the facts around them. */
export interface TraceLineParse {
  prompt: string | null;
  records: TraceRecordShape[];
  /** the last record's message has no closing quote */
  open: boolean;
  comment: string | null;
}

/** `traceId` of a record printed without `trace_id=` (the joiner numbers those: -1, -2, ...). */
export const NO_TRACE_ID = -1;

function firstOf(a: IToken | null, b: IToken): IToken {
  return a ?? b;
}

class TraceLineParser extends EmbeddedActionsParser {
  constructor() {
    super(T.allTokens, {
      recoveryEnabled: false,
      maxLookahead: 2,
      skipValidations: !T.validateGrammars,
    });
    this.performSelfAnalysis();
  }

  /** traceLine: [bullet] [prompt] record+ [trailer] */
  traceLine = this.RULE("traceLine", (): TraceLineParse => {
    this.OPTION(() => this.CONSUME(T.Bullet));
    let prompt: string | null = null;
    this.OPTION2(() => {
      prompt = this.CONSUME(T.Prompt).image;
    });
    const records: TraceRecordShape[] = [];
    this.AT_LEAST_ONE(() => {
      records.push(this.SUBRULE(this.record));
    });
    let comment: string | null = null;
    this.OPTION3(() => {
      const t = this.CONSUME(T.Trailer);
      if (t.tokenType === T.Comment) comment = t.image.slice(2).trim();
    });
    return this.ACTION(() => {
      const first = records[0];
      if (first !== undefined && prompt !== null) first.prompt = prompt;
      const last = records[records.length - 1];
      return { prompt, records, open: last !== undefined && !last.closed, comment };
    });
  });

  /** record: [time] [blade] [time] [id=N] [pri=P] trace_id=N [func=F] [line=N] msg */
  record = this.RULE("record", (): TraceRecordShape => {
    let first: IToken | null = null;
    let timestamp: string | null = null;
    let blade: string | null = null;
    let logId: number | null = null;
    let pri: string | null = null;
    let func: string | null = null;
    let funcLine: number | null = null;
    this.OPTION(() => {
      const t = this.CONSUME(T.Timestamp);
      first = t;
      timestamp = t.image;
    });
    this.OPTION2(() => {
      const t = this.CONSUME(T.Blade);
      first ??= t;
      blade = t.image.slice(1, -1);
    });
    this.OPTION3(() => {
      const t = this.CONSUME2(T.Timestamp);
      first ??= t;
      timestamp = t.image;
    });
    this.OPTION4(() => {
      const t = this.CONSUME(T.LogId);
      first ??= t;
      logId = Number(t.image.slice(3));
    });
    this.OPTION5(() => {
      const t = this.CONSUME(T.Pri);
      first ??= t;
      pri = t.image.slice(4);
    });
    // `trace_id=` may be missing: pastes copied from the message on (`func=... line=... msg="..."`
    // or a bare `msg="..."`); the joiner numbers such records (see TraceLineJoiner)
    let tid: IToken | null = null;
    this.OPTION8(() => {
      tid = this.CONSUME(T.TraceId);
    });
    let funcToken: IToken | null = null;
    this.OPTION6(() => {
      funcToken = this.CONSUME(T.Func);
      func = (funcToken as IToken).image.slice(5);
    });
    this.OPTION7(() => {
      const l = this.CONSUME(T.LineNo);
      funcToken ??= l;
      funcLine = Number(l.image.slice(5));
    });
    // closed or open: one token class (a category), told apart by its type below
    const msg = this.CONSUME(T.Message);
    return this.ACTION(() => {
      const t = tid as IToken | null;
      const start = (first as IToken | null)?.startOffset ?? t?.startOffset ?? firstOf(funcToken, msg).startOffset;
      const closed = msg.tokenType === T.Msg;
      return {
        start,
        end: msg.startOffset + msg.image.length,
        prompt: null,
        timestamp,
        blade,
        logId,
        pri,
        traceId: t === null ? NO_TRACE_ID : Number(t.image.slice(9)),
        func,
        funcLine,
        msg: messageText(msg.image, closed),
        closed,
        packet: null,
        lines: [],
        text: "",
      };
    });
  });

  /**
   * packetMessage: [vd-NAME[:IDX]] received a packet [(proto=N, [src:sport -> [dst:dport] [)]]] field*
   * The fields after the tuple come in any order and any may be missing (cut messages).
   */
  packetMessage = this.RULE("packetMessage", (): PacketLineShape => {
    const shape: PacketLineShape = {
      vdom: null,
      vdomIndex: null,
      proto: null,
      src: null,
      sport: null,
      dst: null,
      dport: null,
      partial: true,
      tunnel: null,
      iface: null,
      local: false,
      tcp: null,
      icmp: null,
      truncated: true,
    };
    this.OPTION(() => {
      const image = this.CONSUME(T.Vdom).image;
      this.ACTION(() => {
        const colon = image.indexOf(":");
        shape.vdom = colon < 0 ? image.slice(3) : image.slice(3, colon);
        shape.vdomIndex = colon < 0 ? null : Number(image.slice(colon + 1));
      });
    });
    this.CONSUME(T.Received);
    let closedTuple = false;
    let dstImage: string | null = null;
    this.OPTION2(() => {
      const p = this.CONSUME(T.ProtoOpen).image;
      this.ACTION(() => {
        shape.proto = Number(p.slice(p.indexOf("=") + 1));
      });
      this.OPTION3(() => {
        const src = this.CONSUME(T.SrcEnd).image;
        this.CONSUME(T.Arrow);
        this.ACTION(() => {
          const [addr, port] = splitLastColon(src);
          shape.src = addr;
          shape.sport = port;
        });
        this.OPTION4(() => {
          dstImage = this.CONSUME(T.DstEnd).image;
        });
        this.OPTION5(() => {
          this.CONSUME(T.RParen);
          closedTuple = true;
        });
      });
    });
    const fields: IToken[] = [];
    this.MANY(() => {
      // any field: one token class (a category); applyFields tells them apart by type
      const t = this.CONSUME(T.PacketField);
      this.ACTION(() => fields.push(t));
    });
    return this.ACTION(() => {
      applyFields(shape, fields);
      const dst: string | null = dstImage;
      if (dst !== null) {
        const [addr, port] = splitLastColon(dst);
        // a cut destination (`1"`) has no port: keep it as an address prefix
        shape.dst = addr;
        shape.dport = port;
      }
      shape.partial = !(closedTuple && shape.src !== null && shape.sport !== null && shape.dst !== null && shape.dport !== null);
      return shape;
    });
  });
}

/** The message text of a `msg=` token image: the part between the quotes. */
function messageText(image: string, closed: boolean): string {
  let i = 4;
  while (i < image.length) {
    const c = image.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 42 && c !== 96) break;
    i++;
  }
  if (image.charCodeAt(i) !== 34) return image.slice(i).trim();
  return closed ? image.slice(i + 1, -1) : image.slice(i + 1);
}

/** `10.0.1.101:40070` → [`10.0.1.101`, 40070]; IPv6 `3ff5::100:10001` splits on the last colon. */
export function splitLastColon(image: string): [string, number | null] {
  const colon = image.lastIndexOf(":");
  if (colon < 0) return [image, null];
  const port = image.slice(colon + 1);
  if (!/^\d{1,5}$/.test(port)) return [image, null];
  return [image.slice(0, colon), Number(port)];
}

function applyFields(shape: PacketLineShape, tokens: IToken[]): void {
  for (const t of tokens) {
    const image = t.image;
    switch (t.tokenType) {
      case T.TunId:
        shape.tunnel = image.slice(7) || null;
        break;
      case T.FromLocal:
        shape.local = true;
        shape.iface = null;
        shape.truncated = false;
        break;
      case T.FromIface:
        shape.iface = image.slice(4, -1).trim();
        shape.truncated = false;
        break;
      case T.FlagBracket:
        tcp(shape).flags = image.slice(image.indexOf("[") + 1, -1);
        break;
      case T.TcpSeq:
        tcp(shape).seq = lastNumber(image);
        break;
      case T.TcpAck:
        tcp(shape).ack = lastNumber(image);
        break;
      case T.TcpWin:
        tcp(shape).win = lastNumber(image);
        break;
      case T.IcmpType:
        icmp(shape).type = lastNumber(image);
        break;
      case T.IcmpCode:
        icmp(shape).code = lastNumber(image);
        break;
      case T.IcmpId:
        icmp(shape).id = lastNumber(image);
        break;
      case T.IcmpSeq:
        icmp(shape).seq = lastNumber(image);
        break;
      default:
        break;
    }
  }
}

function tcp(shape: PacketLineShape): NonNullable<PacketLineShape["tcp"]> {
  shape.tcp ??= { flags: "", seq: null, ack: null, win: null };
  return shape.tcp;
}

function icmp(shape: PacketLineShape): NonNullable<PacketLineShape["icmp"]> {
  shape.icmp ??= { type: null, code: null, id: null, seq: null };
  return shape.icmp;
}

function lastNumber(image: string): number {
  const m = /(\d+)$/.exec(image);
  return m === null ? 0 : Number(m[1]);
}

export type { TraceLineParser };
export const traceLineParser = new TraceLineParser();
