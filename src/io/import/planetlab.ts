import { z } from "zod";
import type { Problem } from "../../model/problems.js";
import { numberCell, numberedLines, where } from "./csv.js";
import { baseName, type ImportOptions, type SourceFile } from "./options.js";
import type { SeriesVm } from "./series-vm.js";
import { sizeFor } from "./vm-sizes.js";

/** PLANETLAB_SOURCE is the attribution the data's distributors ask for (see data/planetlab-sample/README.md). */
export const PLANETLAB_SOURCE =
  "PlanetLab CoMon, 2011-03-03, as redistributed with CloudSim (Beloglazov & Buyya, CCPE 24(13), 2012)";

const SampleSchema = numberCell.pipe(z.number().min(0, "must be at least 0").max(100, "must be at most 100"));

/** SeriesParse is a utilisation series read from a file, with every bad line found on the way. */
export interface SeriesParse {
  percent: number[];
  problems: Problem[];
}

/**
 * parsePlanetLabSeries reads one CPU percentage per line. A bad line is reported and its interval
 * repeats the previous sample (0 at the start), so the samples after it keep their time of day;
 * whether a problem is fatal is the caller's decision (`--skip-bad`). Blank lines at the end are
 * ignored; a blank line inside the series is a bad line, for the same reason.
 */
export function parsePlanetLabSeries(text: string, file: string): SeriesParse {
  const percent: number[] = [];
  const problems: Problem[] = [];
  const pendingBlank: number[] = [];
  for (const line of numberedLines(text)) {
    if (line.text.trim() === "") {
      pendingBlank.push(line.no);
      continue;
    }
    for (const no of pendingBlank.splice(0)) {
      problems.push({ path: where(file, no), message: "blank line inside the series" });
      percent.push(percent.at(-1) ?? 0);
    }
    const r = SampleSchema.safeParse(line.text);
    if (r.success) percent.push(r.data);
    else {
      problems.push({ path: where(file, line.no), message: `"${line.text.trim()}": ${r.error.issues[0].message}` });
      percent.push(percent.at(-1) ?? 0);
    }
  }
  if (percent.length === 0) problems.push({ path: where(file, 1), message: "no samples: the file is empty" });
  return { percent, problems };
}

/** planetLabVm reads one PlanetLab file into a series VM sized by the options or the seeded mix. */
export function planetLabVm(file: SourceFile, opts: ImportOptions): { vm: SeriesVm; problems: Problem[] } {
  const { percent, problems } = parsePlanetLabSeries(file.text, file.path);
  const name = baseName(file.path);
  const size = sizeFor(opts.seed, name, { vcpus: opts.vcpus, memoryMiB: opts.memoryMiB });
  const vm: SeriesVm = { name, percent, size, source: PLANETLAB_SOURCE, labels: { origin: name } };
  return { vm, problems };
}
