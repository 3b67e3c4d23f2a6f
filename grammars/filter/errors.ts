/** The one error the filter grammar throws: a message, the 1-based column, and a code frame. */

export class FilterSyntaxError extends Error {
  override readonly name = "FilterSyntaxError";
  /** the filter text as given */
  readonly expression: string;
  /** 1-based column the caret points at (one past the end when something is missing there) */
  readonly column: number;
  /** the message without the `filter: … at column N:` prefix */
  readonly reason: string;

  constructor(expression: string, column: number, reason: string, kind: "syntax error" | "error" = "syntax error") {
    super(`filter: ${kind} at column ${column}: ${reason}`);
    this.expression = expression;
    this.column = column;
    this.reason = reason;
  }

  /**
   * The message, the expression and a caret under the column:
   * ```
   * filter: syntax error at column 6: expected a port number after 'port'
   *   port
   *        ^
   * ```
   * Tabs and line breaks in the expression are shown as spaces so the caret stays aligned.
   */
  frame(): string {
    const shown = this.expression.replace(/[\t\r\n]/g, " ");
    return `${this.message}\n  ${shown}\n  ${" ".repeat(Math.max(0, this.column - 1))}^`;
  }
}
