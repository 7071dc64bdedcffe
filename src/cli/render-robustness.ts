import type { RobustnessReport } from "../model/objectives.js";
import { robustnessText, robustnessViews } from "../report/objectives-view.js";

// The terminal lists at most this many failing hosts and tightest hosts; --json has them all.
const SHOWN = 10;

/** renderRobustness: what `vmplace check-robustness` prints on a terminal. */
export function renderRobustness(r: RobustnessReport): string {
  const s = r.robustness;
  const lines = [robustnessText(s)];
  if (r.unplaced.length > 0) lines.push(`${r.unplaced.length} VM(s) the placement leaves out are not counted: ${r.unplaced.slice(0, SHOWN).join(", ")}${r.unplaced.length > SHOWN ? ", ..." : ""}`);
  for (const e of s.nPlusOne.hosts.filter((x) => !x.ok).slice(0, SHOWN))
    lines.push(`  if ${e.host} fails: ${e.stranded.length} of its ${e.vms} VM(s) fit nowhere without a violation or a predicted breach (${e.stranded.slice(0, 5).join(", ")}${e.stranded.length > 5 ? ", ..." : ""})`);
  const [, growth] = robustnessViews(s);
  lines.push("least load growth absorbed:");
  for (const row of growth.rows.slice(0, SHOWN)) lines.push(`  ${row[0]}: ${row[1]} (limit: ${row[2]})`);
  return lines.join("\n");
}
