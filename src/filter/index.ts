/** Capture-filter awareness: compile a `filters=[…]` expression and evaluate it on packet records. */
export { compileFilter, type Filter, type FilterResult, type Tri } from "./evaluate.js";
export { filterFields, type FilterFields, type FilterFieldRef } from "./fields.js";
export { couldMatchReply, type ReplyPossibility } from "./reply-match.js";
export { expectedReplies, type ReplyVariant } from "./reply.js";
export { FilterSyntaxError, parseFilter, printFilter, type FilterNode, type ArithNode } from "../../grammars/filter/index.js";
