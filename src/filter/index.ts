/** Capture-filter awareness: compile a `filters=[…]` expression and evaluate it on packet records. */
export {
  compileFilter,
  filterFields,
  couldMatchReply,
  type Filter,
  type FilterResult,
  type FilterFields,
  type FilterFieldRef,
  type ReplyPossibility,
  type Tri,
} from "./evaluate.js";
export { expectedReplies, type ReplyVariant } from "./reply.js";
export { FilterSyntaxError, parseFilter, printFilter, type FilterNode, type ArithNode } from "../../grammars/filter/index.js";
