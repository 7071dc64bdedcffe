import { ms, num } from "./format.js";
import { COLORS, legend, line, niceMax, svg, text, titled } from "./svg.js";

/** DumbbellRow: one VM's latency at two moments (before/after, predicted/simulated) and its SLO, in µs. */
export interface DumbbellRow {
  readonly label: string;
  readonly fromUs: number;
  readonly toUs: number;
  readonly sloUs?: number;
  readonly fromBad: boolean;
  readonly toBad: boolean;
  readonly fromTip: string;
  readonly toTip: string;
}

const TICKS_MS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

/**
 * dumbbellChart draws each row as two points joined by a line on a log time axis, with the SLO as
 * a black tick: a latency that spans two orders of magnitude (a Bobtail victim at 20 ms against
 * 0.4 ms elsewhere) stays readable, and the distance to the SLO is what the eye compares.
 */
export function dumbbellChart(rows: readonly DumbbellRow[], labels: readonly [from: string, to: string], aria: string): string {
  const left = 110;
  const top = 30;
  const rowH = 16;
  const plotW = 560;
  const values = rows.flatMap((r) => [r.fromUs, r.toUs, r.sloUs ?? r.toUs]).map((us) => Math.max(us, 1) / 1000);
  const lo = TICKS_MS.filter((t) => t <= Math.min(...values, 1)).pop() ?? TICKS_MS[0];
  const hi = TICKS_MS.find((t) => t >= Math.max(...values, 1)) ?? niceMax(Math.max(...values));
  const x = (us: number): number => left + (plotW * Math.log(Math.max(us / 1000, lo) / lo)) / Math.log(hi / lo);
  const height = top + rows.length * rowH + 30;
  let body = legend(left, 14, [[COLORS.before, labels[0]], [COLORS.ok, labels[1]], [COLORS.breach, "over SLO"], [COLORS.slo, "SLO"]]);
  for (const t of TICKS_MS.filter((t) => t >= lo && t <= hi)) {
    body += line(x(t * 1000), top - 4, x(t * 1000), height - 24, COLORS.grid) + text(x(t * 1000), height - 10, `${num(t)} ms`, { "text-anchor": "middle" });
  }
  rows.forEach((r, k) => {
    const cy = top + k * rowH + rowH / 2;
    body += text(left - 6, cy + 4, r.label, { "text-anchor": "end" });
    body += line(x(r.fromUs), cy, x(r.toUs), cy, COLORS.before, { "stroke-width": 2 });
    if (r.sloUs !== undefined) body += titled("line", { x1: x(r.sloUs), y1: cy - 6, x2: x(r.sloUs), y2: cy + 6, stroke: COLORS.slo, "stroke-width": 2 }, `${r.label} SLO p99.9 ${ms(r.sloUs)} ms`);
    body += titled("circle", { cx: x(r.fromUs), cy, r: 4, fill: r.fromBad ? COLORS.breach : COLORS.before }, r.fromTip);
    body += titled("circle", { cx: x(r.toUs), cy, r: 4.5, fill: r.toBad ? COLORS.breach : COLORS.ok, stroke: "#fff" }, r.toTip);
  });
  return svg(left + plotW + 30, height, aria, body);
}
