import { Option, type Command } from "commander";
import { InputError } from "../io/load.js";
import { SHORTFALL_KINDS, type ResultStatus, type ShortfallKind } from "../model/status.js";
import { EXIT } from "./exit-codes.js";

export type FailOn = ReadonlySet<ShortfallKind>;

/**
 * addFailOn adds `--fail-on` with the kinds that mean something for the command. The default is
 * every one of them: a script that trusts exit 0 must not act on a partial result unless it asked
 * to, so ignoring a kind is the explicit choice.
 */
export function addFailOn(cmd: Command, allowed: readonly ShortfallKind[]): Command {
  const all = allowed.join(",");
  const option = new Option(
    "--fail-on <kinds>",
    `what makes the command exit 3: a comma list of ${allowed.join(", ")}, or none`,
  )
    .argParser(parseFailOn(allowed))
    .default(new Set(allowed), all);
  return cmd.addOption(option);
}

/** parseFailOn reads "breach,violation", "none", ...; a kind the command cannot report is an error. */
export function parseFailOn(allowed: readonly ShortfallKind[]): (text: string) => FailOn {
  return (text: string) => {
    const words = text.split(",").map((w) => w.trim()).filter((w) => w !== "");
    if (words.length === 1 && words[0] === "none") return new Set();
    const out = new Set<ShortfallKind>();
    for (const w of words) {
      if (w === "none") throw new InputError(`--fail-on: "none" cannot be combined with other kinds, got "${text}"`);
      if (!(SHORTFALL_KINDS as readonly string[]).includes(w) || !allowed.includes(w as ShortfallKind))
        throw new InputError(`--fail-on: unknown kind "${w}" for this command (choose from ${allowed.join(", ")}, or none)`);
      out.add(w as ShortfallKind);
    }
    if (out.size === 0) throw new InputError(`--fail-on needs at least one of ${allowed.join(", ")}, or none`);
    return out;
  };
}

/**
 * settle sets the exit code from a result's status and says on stderr why the result is not whole
 * (stdout stays data). Shortfalls that --fail-on leaves out are still named, with exit 0.
 */
export function settle(command: string, status: ResultStatus, failOn: FailOn): void {
  if (status.status === "ok") return;
  const failing = status.reasons.filter((r) => failOn.has(r.kind));
  const text = status.reasons.map((r) => r.message).join("; ");
  if (failing.length > 0) {
    process.exitCode = Math.max(Number(process.exitCode ?? 0), EXIT.incomplete);
    process.stderr.write(`vmplace ${command}: result not whole (exit ${EXIT.incomplete}): ${text}\n`);
  } else {
    process.stderr.write(`vmplace ${command}: result not whole, exit 0 as --fail-on asks: ${text}\n`);
  }
}
