/** Number and text formatting shared by the Markdown and HTML renderers. */

/** ms renders microseconds as milliseconds with sensible precision. */
export function ms(us: number): string {
  const v = us / 1000;
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** gib renders MiB as GiB. */
export function gib(mib: number): string {
  const v = mib / 1024;
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

export function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(0)}%`;
}

/** num keeps at most `digits` decimals and drops trailing zeros. */
export function num(x: number, digits = 2): string {
  return String(Number(x.toFixed(digits)));
}

/** arrow shows a before → after pair, the same value once. */
export function arrow(before: string, after: string): string {
  return before === after ? before : `${before} → ${after}`;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** esc makes text safe inside HTML and SVG text and attributes (ids come from user documents). */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** mdCell makes text safe inside a Markdown table cell. */
export function mdCell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** mdTable renders a Markdown table. */
export function mdTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(mdCell).join(" | ")} |`;
  return [line(head), `|${head.map(() => "---").join("|")}|`, ...rows.map(line)].join("\n");
}
