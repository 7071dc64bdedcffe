import { esc } from "./format.js";

/** Small SVG building blocks: the charts draw with these and stay free of string soup. */

export const COLORS = {
  before: "#9aa5b1",
  after: "#2f6fdf",
  breach: "#d64545",
  ok: "#2e9e5b",
  slo: "#1f2933",
  risk: "#e8833a",
  grid: "#e4e7eb",
  text: "#323f4b",
} as const;

type Attrs = Record<string, string | number | undefined>;

function attrs(a: Attrs): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${typeof v === "number" ? fmt(v) : esc(v as string)}"`)
    .join("");
}

/** fmt keeps coordinates short and deterministic. */
export function fmt(x: number): string {
  return String(Math.round(x * 10) / 10);
}

export function el(tag: string, a: Attrs, children = ""): string {
  return children === "" ? `<${tag}${attrs(a)}/>` : `<${tag}${attrs(a)}>${children}</${tag}>`;
}

/** titled wraps a shape with a tooltip (the browser shows <title> on hover). */
export function titled(tag: string, a: Attrs, title: string): string {
  return `<${tag}${attrs(a)}><title>${esc(title)}</title></${tag}>`;
}

export function text(x: number, y: number, content: string, a: Attrs = {}): string {
  return el("text", { x, y, fill: COLORS.text, "font-size": 11, ...a }, esc(content));
}

export function line(x1: number, y1: number, x2: number, y2: number, stroke: string, a: Attrs = {}): string {
  return el("line", { x1, y1, x2, y2, stroke, ...a });
}

/**
 * svg opens a chart with an accessible name at its natural size, shrinking (never growing) to fit
 * its container: a chart of two hosts must not be blown up to the page's width.
 */
export function svg(width: number, height: number, label: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${fmt(width)} ${fmt(height)}" width="${fmt(width)}" height="${fmt(height)}" style="max-width:100%;height:auto" role="img" aria-label="${esc(label)}" font-family="system-ui, sans-serif">${body}</svg>`;
}

/** legend draws colour keys in a row starting at (x, y). */
export function legend(x: number, y: number, items: readonly [color: string, label: string][]): string {
  let cx = x;
  return items
    .map(([color, label]) => {
      const s = el("rect", { x: cx, y: y - 9, width: 10, height: 10, fill: color }) + text(cx + 14, y, label);
      cx += 24 + label.length * 6.2;
      return s;
    })
    .join("");
}

/** niceMax rounds an axis maximum up to 1, 2 or 5 times a power of ten. */
export function niceMax(x: number): number {
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}
