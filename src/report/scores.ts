import { num } from "./format.js";

/**
 * topScores lists the plugin scores that tell hosts apart: those below the maximum first (a
 * satisfied soft constraint scores 100 everywhere it holds and says little), best first.
 */
export function topScores(scores: Readonly<Record<string, number>>, max = 3): string {
  const entries = Object.entries(scores);
  const telling = entries.filter(([, v]) => v < 100).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const rest = entries.filter(([, v]) => v >= 100).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return [...telling, ...rest]
    .slice(0, max)
    .map(([k, v]) => `${k} ${num(v, 0)}`)
    .join(", ");
}
