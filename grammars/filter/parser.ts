/**
 * The capture-filter grammar (pcap-filter(7), libpcap's grammar.y): one parser instance, built once.
 * The rules are the grammar alone; what each hands over becomes a FilterNode in the builder
 * (build.ts), called from an `ACTION` per alternative (embedded actions, no CST: a filter is parsed
 * once per command, and the builder needs the qualifiers in force in parse order).
 *
 * Precedence, as libpcap (`%left OR AND`, `%nonassoc '!'`): `not`/`!` binds tightest; `and`/`&&`
 * and `or`/`||` have EQUAL precedence and associate left, so `a or b and c` is `(a or b) and c`.
 * Inside comparisons the arithmetic levels are, loosest first, `| ^`, `&`, `<< >>`, `+ -`,
 * `* / %`, unary `-`; a relation (`= == != < <= > >=`) binds tighter than `not`.
 *
 * libpcap's grammar keeps boolean terms and byte arithmetic apart with LALR(1) look-ahead; an LL(2)
 * parser cannot tell `(tcp)` from `(tcp[13] & 2)` at the parenthesis. So one expression grammar
 * covers both, each operand says what it is (a test, a value, or a bare word/number), and the
 * builder checks the kinds.
 *
 * Deviations from libpcap, all lenient: a parenthesized list after a qualifier may mix bare words
 * with full primitives (`host a and (b or port 80)`), a keyword may follow `proto` unescaped
 * (`ip proto tcp`), `net 10/8` is read as 10.0.0.0/8, and `<PLACEHOLDER>` words are host names.
 * Rule names follow grammar.y where one exists (`expr`, `headId` for `head id`, `dqual`, `load` for
 * `pname '[' arth ']'`).
 */
import { EmbeddedActionsParser, type IToken } from "chevrotain";
import * as T from "./tokens.js";
import type { Direction, FilterNode } from "./ast.js";
import { FilterAstBuilder, type Operand } from "./build.js";

export type { AddrType, Qual, Operand, SemanticError, OpenBracket } from "./build.js";

class FilterParser extends EmbeddedActionsParser {
  /** the tree of the current parse, its qualifiers in force, first semantic error and open brackets */
  readonly build = new FilterAstBuilder();

  constructor(validate: boolean) {
    super(T.allTokens, {
      recoveryEnabled: false,
      maxLookahead: 2,
      skipValidations: !validate,
    });
    this.performSelfAnalysis();
  }

  begin(source: string): void {
    this.build.begin(source);
  }

  /** filter: expr? — an empty filter matches everything */
  filter = this.RULE("filter", (): FilterNode => {
    let node: FilterNode = { kind: "all" };
    this.OPTION(() => {
      const op = this.SUBRULE(this.expr);
      this.ACTION(() => {
        node = this.build.toBool(op);
      });
    });
    return node;
  });

  /** expr: unary ((and | or) unary)* — equal precedence, left associative */
  expr = this.RULE("expr", (): Operand => {
    let left = this.SUBRULE(this.unary);
    this.MANY(() => {
      const op = this.OR([{ ALT: () => this.CONSUME(T.And) }, { ALT: () => this.CONSUME(T.Or) }]);
      // the left side takes the qualifiers in force before the right side can change them
      const l = this.ACTION(() => this.build.toBool(left));
      const right = this.SUBRULE2(this.unary);
      this.ACTION(() => {
        left = this.build.logical(op, l, left, right);
      });
    });
    return left;
  });

  /** unary: not unary | relation */
  unary = this.RULE("unary", (): Operand => {
    return this.OR([
      {
        ALT: () => {
          const not = this.CONSUME(T.Not);
          const inner = this.SUBRULE(this.unary);
          return this.ACTION(() => this.build.negate(not, inner));
        },
      },
      { ALT: () => this.SUBRULE(this.relation) },
    ]);
  });

  /** relation: arith (relop arith)? */
  relation = this.RULE("relation", (): Operand => {
    const left = this.SUBRULE(this.arith);
    let result = left;
    this.OPTION(() => {
      const op = this.CONSUME(T.RelOp);
      const right = this.SUBRULE2(this.arith);
      this.ACTION(() => {
        result = this.build.compare(op, left, right);
      });
    });
    return result;
  });

  // ---- arithmetic, loosest first -------------------------------------------------------------------

  arith = this.RULE("arith", (): Operand => {
    let left = this.SUBRULE(this.bitAnd);
    this.MANY(() => {
      const op = this.CONSUME(T.BitOrOp);
      const right = this.SUBRULE2(this.bitAnd);
      this.ACTION(() => {
        left = this.build.binary(op, left, right);
      });
    });
    return left;
  });

  bitAnd = this.RULE("bitAnd", (): Operand => {
    let left = this.SUBRULE(this.shift);
    this.MANY(() => {
      const op = this.CONSUME(T.Amp);
      const right = this.SUBRULE2(this.shift);
      this.ACTION(() => {
        left = this.build.binary(op, left, right);
      });
    });
    return left;
  });

  shift = this.RULE("shift", (): Operand => {
    let left = this.SUBRULE(this.additive);
    this.MANY(() => {
      const op = this.CONSUME(T.ShiftOp);
      const right = this.SUBRULE2(this.additive);
      this.ACTION(() => {
        left = this.build.binary(op, left, right);
      });
    });
    return left;
  });

  additive = this.RULE("additive", (): Operand => {
    let left = this.SUBRULE(this.multiplicative);
    this.MANY(() => {
      const op = this.CONSUME(T.AddOp);
      const right = this.SUBRULE2(this.multiplicative);
      this.ACTION(() => {
        left = this.build.binary(op, left, right);
      });
    });
    return left;
  });

  multiplicative = this.RULE("multiplicative", (): Operand => {
    let left = this.SUBRULE(this.unaryMinus);
    this.MANY(() => {
      const op = this.CONSUME(T.MulOp);
      const right = this.SUBRULE2(this.unaryMinus);
      this.ACTION(() => {
        left = this.build.binary(op, left, right);
      });
    });
    return left;
  });

  unaryMinus = this.RULE("unaryMinus", (): Operand => {
    return this.OR([
      {
        ALT: () => {
          const minus = this.CONSUME(T.Minus);
          const inner = this.SUBRULE(this.unaryMinus);
          return this.ACTION(() => this.build.neg(minus, inner));
        },
      },
      { ALT: () => this.SUBRULE(this.primary) },
    ]);
  });

  // ---- primaries -----------------------------------------------------------------------------------

  primary = this.RULE("primary", (): Operand => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.group) },
      {
        ALT: () => {
          const n = this.CONSUME(T.Number);
          return this.ACTION(() => this.build.atom("number", n));
        },
      },
      { ALT: () => this.SUBRULE(this.wordAtom) },
      { ALT: () => this.SUBRULE(this.colonAtom) },
      {
        ALT: () => {
          const len = this.CONSUME(T.Len);
          return this.ACTION(() => this.build.len(len));
        },
      },
      {
        ALT: () => {
          const c = this.CONSUME(T.NamedConst);
          return this.ACTION(() => this.build.namedConstant(c));
        },
      },
      { ALT: () => this.SUBRULE(this.protoPrimary) },
      { ALT: () => this.SUBRULE(this.qualified, { ARGS: [null] }) },
      { ALT: () => this.SUBRULE(this.other) },
    ]);
  });

  /** `( expr )`: the qualifiers in force before it are in force after it */
  group = this.RULE("group", (): Operand => {
    const open = this.CONSUME(T.LParen);
    const saved = this.ACTION(() => this.build.openGroup(open));
    const inner = this.SUBRULE(this.expr);
    const close = this.CONSUME(T.RParen);
    return this.ACTION(() => this.build.closeGroup(open, saved ?? null, inner, close));
  });

  /** `word`, `word/N`, `word mask M` */
  wordAtom = this.RULE("wordAtom", (): Operand => {
    const w = this.CONSUME(T.Word);
    let prefix: IToken | null = null;
    let slash: IToken | null = null;
    let mask: IToken | null = null;
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            slash = this.CONSUME(T.Slash);
            prefix = this.CONSUME(T.Number);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Mask);
            mask = this.CONSUME2(T.Word);
          },
        },
      ]);
    });
    return this.ACTION(() => this.build.atom("word", w, prefix, mask, slash));
  });

  /** an IPv6 or colon-MAC address, with an optional `/N` */
  colonAtom = this.RULE("colonAtom", (): Operand => {
    const a = this.CONSUME(T.ColonAddress);
    let prefix: IToken | null = null;
    let slash: IToken | null = null;
    this.OPTION(() => {
      slash = this.CONSUME(T.Slash);
      prefix = this.CONSUME(T.Number);
    });
    return this.ACTION(() => this.build.atom("colon", a, prefix, null, slash));
  });

  /** `tcp`, `tcp[13]`, `tcp port 80`, `ip proto 6`, `ether host …`, `ip broadcast` */
  protoPrimary = this.RULE("protoPrimary", (): Operand => {
    const p = this.CONSUME(T.ProtoKw);
    return this.OR([
      { ALT: () => this.SUBRULE(this.load, { ARGS: [p] }) },
      { ALT: () => this.SUBRULE(this.qualified, { ARGS: [p] }) },
      { ALT: () => this.ACTION(() => this.build.protoAbbrev(p)) },
    ]);
  });

  /** `pname [ arth ]`, `pname [ arth : size ]` */
  load = this.RULE("load", (p: IToken): Operand => {
    const open = this.CONSUME(T.LBracket);
    this.ACTION(() => this.build.openLoad(p, open));
    const offset = this.SUBRULE(this.arith);
    let size: IToken | null = null;
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      size = this.CONSUME(T.Number);
    });
    const close = this.CONSUME(T.RBracket);
    return this.ACTION(() => this.build.load(p, offset, size, close));
  });

  /**
   * grammar.y `head id`: `[pname] dqual [aqual] id`, `[pname] aqual id`, `[pname] proto id`,
   * `[pname] broadcast`, `[pname] multicast`.
   */
  qualified = this.RULE("qualified", (pname: IToken | null): Operand => {
    const first = this.LA(1);
    const op = this.OR([
      {
        ALT: () => {
          const d = this.SUBRULE(this.dqual);
          let type: IToken | null = null;
          this.OPTION(() => {
            type = this.CONSUME(T.TypeQual);
          });
          this.ACTION(() => this.build.setQual(pname, d, type));
          return this.SUBRULE(this.headId);
        },
      },
      {
        ALT: () => {
          const type = this.CONSUME2(T.TypeQual);
          this.ACTION(() => this.build.setQual(pname, null, type));
          return this.SUBRULE2(this.headId);
        },
      },
      {
        ALT: () => {
          const proto = this.CONSUME(T.Proto);
          this.ACTION(() => this.build.setQual(pname, null, proto));
          return this.SUBRULE3(this.headId);
        },
      },
      {
        ALT: () => {
          const b = this.CONSUME(T.Broadcast);
          return this.ACTION(() => this.build.castPrimitive(pname, b, "broadcast"));
        },
      },
      {
        ALT: () => {
          const m = this.CONSUME(T.Multicast);
          return this.ACTION(() => this.build.castPrimitive(pname, m, "multicast"));
        },
      },
    ]);
    return this.ACTION(() => this.build.startingAt(op, pname ?? first));
  });

  /** `src`, `dst`, `src or dst`, `src and dst`, `dst or src`, `dst and src` */
  dqual = this.RULE("dqual", (): { dir: Direction; tok: IToken } => {
    return this.OR([
      {
        ALT: () => {
          const s = this.CONSUME(T.Src);
          let joiner: IToken | null = null;
          this.OPTION(() => {
            joiner = this.OR2([{ ALT: () => this.CONSUME(T.Or) }, { ALT: () => this.CONSUME(T.And) }]);
            this.CONSUME(T.Dst);
          });
          return this.ACTION(() => this.build.direction(s, joiner));
        },
      },
      {
        ALT: () => {
          const d = this.CONSUME2(T.Dst);
          let joiner: IToken | null = null;
          this.OPTION2(() => {
            joiner = this.OR3([{ ALT: () => this.CONSUME2(T.Or) }, { ALT: () => this.CONSUME2(T.And) }]);
            this.CONSUME2(T.Src);
          });
          return this.ACTION(() => this.build.direction(d, joiner));
        },
      },
    ]);
  });

  /** grammar.y `id` after a head: `not id`, `( … )`, or an address, number or name */
  headId = this.RULE("headId", (): Operand => {
    return this.OR([
      {
        ALT: () => {
          const not = this.CONSUME(T.Not);
          const inner = this.SUBRULE(this.headId);
          return this.ACTION(() => this.build.negate(not, inner));
        },
      },
      {
        ALT: () => {
          const g = this.SUBRULE(this.group);
          return this.ACTION(() => this.build.asTest(g));
        },
      },
      {
        ALT: () => {
          const n = this.CONSUME(T.Number);
          let prefix: IToken | null = null;
          let slash: IToken | null = null;
          this.OPTION(() => {
            slash = this.CONSUME(T.Slash);
            prefix = this.CONSUME2(T.Number);
          });
          return this.ACTION(() => this.build.resolvedOperand(this.build.atom("number", n, prefix, null, slash)));
        },
      },
      {
        ALT: () => {
          const w = this.SUBRULE(this.wordAtom);
          return this.ACTION(() => this.build.resolvedOperand(w));
        },
      },
      {
        ALT: () => {
          const c = this.SUBRULE(this.colonAtom);
          return this.ACTION(() => this.build.resolvedOperand(c));
        },
      },
      {
        ALT: () => {
          const k = this.CONSUME(T.ProtoKw);
          return this.ACTION(() => this.build.resolvedOperand(this.build.atom("keyword", k)));
        },
      },
    ]);
  });

  /** grammar.y `other`: `vlan [N]`, `pppoed`, `pppoes [N]`, `less N`, `greater N`, `inbound`, `outbound` */
  other = this.RULE("other", (): Operand => {
    return this.OR([
      {
        ALT: () => {
          const v = this.CONSUME(T.Vlan);
          let id: IToken | null = null;
          this.OPTION(() => {
            id = this.CONSUME(T.Number);
          });
          return this.ACTION(() => this.build.vlan(v, id));
        },
      },
      {
        ALT: () => {
          const p = this.CONSUME(T.Pppoed);
          return this.ACTION(() => this.build.pppoed(p));
        },
      },
      {
        ALT: () => {
          const p = this.CONSUME(T.Pppoes);
          let id: IToken | null = null;
          this.OPTION2(() => {
            id = this.CONSUME2(T.Number);
          });
          return this.ACTION(() => this.build.pppoes(p, id));
        },
      },
      {
        ALT: () => {
          const op = this.OR2([{ ALT: () => this.CONSUME(T.Less) }, { ALT: () => this.CONSUME(T.Greater) }]);
          const n = this.CONSUME3(T.Number);
          return this.ACTION(() => this.build.length(op, n));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.Inbound);
          return this.ACTION(() => this.build.traffic(t));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.Outbound);
          return this.ACTION(() => this.build.traffic(t));
        },
      },
    ]);
  });
}

/** Build a parser instance; `validate` runs chevrotain's grammar checks (tests do). */
export function createFilterParser(validate: boolean): FilterParser {
  return new FilterParser(validate);
}

export type { FilterParser };

let instance: FilterParser | null = null;

/** The one parser instance, built on first use (its self-analysis costs ~30 ms; CLI start-up does not pay it). */
export function filterParser(): FilterParser {
  instance ??= createFilterParser(T.validateGrammars);
  return instance;
}
