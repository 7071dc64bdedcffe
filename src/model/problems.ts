import type { z } from "zod";

/** Problem is one thing wrong with an input document, located by its JSON path. */
export interface Problem {
  /** Dotted JSON path, e.g. `vms[3].workload.dutyCycle`; empty for the whole document. */
  path: string;
  message: string;
}

/** ParseResult is a parsed value or every problem found, never an exception. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/** formatPath renders a zod-style path as `a.b[2].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

/** problemsFromZod flattens a zod error (including union branches) into located problems. */
export function problemsFromZod(error: z.ZodError, prefix: readonly PropertyKey[] = []): Problem[] {
  const out: Problem[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path];
    out.push({ path: formatPath(path), message: describeIssue(issue) });
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_union" && "note" in issue && issue.note === "No matching discriminator") {
    return issue.message;
  }
  if (issue.code === "unrecognized_keys") return `unknown field(s): ${issue.keys.join(", ")}`;
  return issue.message;
}

/** renderProblems gives one line per problem for terminals and logs. */
export function renderProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `  ${p.path === "" ? "(document)" : p.path}: ${p.message}`).join("\n");
}
