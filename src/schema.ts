/** The JSON Schema of the analyze report (`sniffdiag schema`), per ../shared/spec/contract.md. */
import { REPORT_SCHEMA, VERDICT_CODES } from "./contract/report.js";

const nullable = (schema: object) => ({ anyOf: [schema, { type: "null" }] });
const int = { type: "integer", minimum: 0 };
const num = { type: "number" };
const str = { type: "string" };

const evidence = { type: "object", required: ["line", "text"], properties: { line: { type: "integer", minimum: 1 }, text: str }, additionalProperties: false };


export const reportSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://sniffdiag.dev/schema/report-1.json",
  title: "sniffdiag analyze report",
  type: "object",
  required: ["schema", "generator", "inputs", "services", "flows", "verdicts", "summary"],
  properties: {
    schema: { const: REPORT_SCHEMA },
    generator: { type: "object", required: ["name", "version"], properties: { name: { const: "sniffdiag" }, version: str } },
    inputs: {
      type: "array",
      items: {
        type: "object",
        required: ["source", "lines", "packets", "unrecognized", "captures"],
        properties: {
          source: str,
          lines: int,
          packets: int,
          unrecognized: int,
          error: str,
          captures: {
            type: "array",
            items: {
              type: "object",
              required: ["index", "line", "command", "interfaces", "filter", "verbose", "timestamps", "packets", "received", "dropped", "start", "end"],
              properties: {
                index: int,
                line: { type: "integer", minimum: 1 },
                command: nullable(str),
                interfaces: nullable(str),
                filter: nullable(str),
                verbose: nullable({ type: "integer", minimum: 1, maximum: 6 }),
                timestamps: nullable({ enum: ["absolute", "relative"] }),
                packets: int,
                received: nullable(int),
                dropped: nullable(int),
                start: nullable(num),
                end: nullable(num),
                count: nullable(int),
                duplicateOf: int,
              },
            },
          },
        },
      },
    },
    services: {
      type: "array",
      items: {
        type: "object",
        required: ["source", "capture", "proto", "port", "name", "status", "requests", "answered", "unanswered", "rejected", "inconclusive", "servers", "clients"],
        properties: {
          source: str,
          capture: int,
          proto: str,
          port: nullable({ type: "integer", minimum: 0, maximum: 65535 }),
          name: nullable(str),
          status: { enum: ["answered", "partial", "unanswered", "rejected", "one-way", "inconclusive"] },
          requests: int,
          answered: int,
          unanswered: int,
          rejected: int,
          inconclusive: int,
          notForwarded: int,
          servers: {
            type: "array",
            items: {
              type: "object",
              required: ["address", "requests", "answered", "rejected", "rtt"],
              properties: {
                address: str,
                requests: int,
                answered: int,
                rejected: int,
                rtt: nullable({ type: "object", required: ["min", "median", "max"], properties: { min: num, median: num, max: num } }),
              },
            },
          },
          clients: { type: "array", items: str },
        },
      },
    },
    flows: {
      type: "array",
      items: {
        type: "object",
        required: ["source", "capture", "proto", "client", "clientPort", "server", "serverPort", "interfaces", "toServer", "toClient", "state", "start", "end", "firstLine", "lastLine"],
        properties: {
          source: str,
          capture: int,
          proto: str,
          client: str,
          clientPort: nullable(int),
          server: str,
          serverPort: nullable(int),
          interfaces: { type: "array", items: str },
          toServer: { type: "object", required: ["packets", "bytes"], properties: { packets: int, bytes: int } },
          toClient: { type: "object", required: ["packets", "bytes"], properties: { packets: int, bytes: int } },
          state: { enum: ["S0", "S1", "SF", "REJ", "S2", "S3", "RSTO", "RSTR", "RSTOS0", "RSTRH", "SH", "SHR", "OTH"] },
          start: num,
          end: num,
          firstLine: { type: "integer", minimum: 1 },
          lastLine: { type: "integer", minimum: 1 },
          nat: { type: "object", properties: { snat: nullable(str), dnat: nullable(str) } },
          hops: { type: "array", items: { type: "object", required: ["ingress", "egress"], properties: { ingress: str, egress: str } } },
          trace: {
            type: "object",
            required: ["policy", "action", "snat", "dnat", "route", "traceIds", "lines"],
            properties: {
              policy: nullable(int),
              action: nullable({ enum: ["allow", "deny"] }),
              traceIds: { type: "array", items: int },
              lines: { type: "array", items: { type: "integer", minimum: 1 } },
            },
          },
        },
      },
    },
    verdicts: {
      type: "array",
      items: {
        type: "object",
        required: ["source", "capture", "code", "severity", "proto", "port", "servers", "title", "explanation", "remedy", "evidence"],
        properties: {
          source: str,
          capture: nullable(int),
          code: { enum: VERDICT_CODES },
          severity: { enum: ["error", "warning", "info", "ok"] },
          proto: nullable(str),
          port: nullable({ type: "integer", minimum: 0, maximum: 65535 }),
          servers: { type: "array", items: str },
          title: str,
          explanation: str,
          remedy: nullable(str),
          evidence: { type: "array", items: evidence },
          args: { type: "object", description: "the facts the words are made of, typed per code (src/contract/args.ts); title, explanation and remedy derive from code and args" },
          commands: { type: "array", items: str, description: "the remedy's CLI lines (also at the end of remedy), never a sentence" },
        },
      },
    },
    summary: {
      type: "object",
      required: ["errors", "warnings", "infos", "oks"],
      properties: { errors: int, warnings: int, infos: int, oks: int },
    },
    exchanges: { type: "array" },
    traces: {
      type: "array",
      items: {
        type: "object",
        required: ["source", "traceId", "lines", "outcome", "packets", "reason"],
        properties: { source: str, traceId: int, lines: { type: "array", items: int }, outcome: str, packets: { type: "array", items: int }, reason: str },
      },
    },
  },
} as const;
