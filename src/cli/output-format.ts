import { InputError } from "../io/load.js";
import { formatFromPath, REPORT_FORMATS, type ReportFormat } from "../report/render.js";

/**
 * outputFormat decides what a document is written as: --format when given, else the --out file's
 * extension, else the fallback. A --format that contradicts the extension, or an --out name that
 * says no format when --format is absent, is an error: `--out mig.txt` must not silently be JSON.
 */
export function outputFormat(flag: ReportFormat | undefined, out: string | undefined, fallback?: ReportFormat): ReportFormat | undefined {
  const fromName = out === undefined ? undefined : formatFromPath(out);
  if (flag !== undefined && fromName !== undefined && flag !== fromName)
    throw new InputError(`--format ${flag} does not match --out ${out}, whose name says ${fromName}; make them agree`);
  if (flag !== undefined) return flag;
  if (out !== undefined && fromName === undefined)
    throw new InputError(`--out ${out}: cannot tell the format from the name; name it .html, .md or .json, or give --format ${REPORT_FORMATS.join("|")}`);
  return fromName ?? fallback;
}
