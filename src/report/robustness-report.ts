import { RobustnessReportSchema, type RobustnessReport } from "../model/objectives.js";
import { page } from "./html-page.js";
import { viewsHtml, viewsMarkdown } from "./objectives-render.js";
import { robustnessText, robustnessViews } from "./objectives-view.js";
import { statusText } from "./status-text.js";

const TITLE = "Robustness check";

/** lead: the verdict, the VMs left out, and the status line, as one paragraph. */
function lead(r: RobustnessReport): string {
  const left = r.unplaced.length > 0 ? ` ${r.unplaced.length} VM(s) the placement leaves out are not counted.` : "";
  return `${robustnessText(r.robustness)}.${left} ${statusText(r)}`;
}

/** renderRobustnessMarkdown: a check-robustness verdict with each host's evacuation and the growth it absorbs. */
export function renderRobustnessMarkdown(r: RobustnessReport): string {
  return `# ${TITLE}\n\n${lead(r)}\n\n${viewsMarkdown(robustnessViews(r.robustness))}\n`;
}

/** renderRobustnessHtml: the same as one self-contained page. */
export function renderRobustnessHtml(r: RobustnessReport): string {
  return page(TITLE, lead(r), viewsHtml(robustnessViews(r.robustness)));
}

/** renderRobustnessJson: the verdict as stable JSON (validated, keys in the schema's order). */
export function renderRobustnessJson(r: RobustnessReport): string {
  return `${JSON.stringify(RobustnessReportSchema.parse(r), null, 2)}\n`;
}
