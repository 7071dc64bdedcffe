import type { Command } from "commander";
import { InputError, loadWith } from "../../io/load.js";
import { lockFile } from "../../io/lock.js";
import { writeFileDurable } from "../../io/write.js";
import { checkRunnable, ExecutionError, pendingWaves, runPlan } from "../../migrate/execution.js";
import type { Attempt } from "../../model/execution.js";
import type { MigrationPlan, Move } from "../../model/migration.js";
import { renderMigrationJson } from "../../report/migration-json.js";
import { parseMigrationPlan } from "../../report/render.js";
import { fillTemplate, unknownPlaceholders, PLACEHOLDERS } from "../../report/emit/shell.js";
import { DEFAULT_EMIT, EMIT_TARGETS, moveScript, moveValues, type EmitTarget } from "../../report/emit/targets.js";
import { runShell } from "../../runtime/command.js";
import { durationMsOption, intOption } from "../options.js";

interface ApplyFlags {
  executor: string;
  precheck?: string;
  dryRun?: boolean;
  approve?: boolean;
  maxParallel?: number;
  timeout?: number;
  connect: string;
  namespace: string;
}

/** Exit codes: 3 = a move failed (the plan records it; run apply again to resume); 130 = stopped by a signal. */
const EXIT_FAILED = 3;
const EXIT_STOPPED = 130;

/** registerApply adds `vmplace apply PLAN --executor CMD`: run an approved migration plan wave by wave. */
export function registerApply(program: Command): void {
  program
    .command("apply")
    .description("run an approved migration plan wave by wave, recording each move's result in the plan document (resumes where it stopped)")
    .argument("<plan>", "migration plan document (JSON); updated in place after every move")
    .requiredOption("--executor <cmd>", `virsh, openstack, kubevirt, or a command template with ${PLACEHOLDERS.map((p) => `{${p}}`).join(" ")} (required)`)
    .option("--precheck <cmd>", "command template run first for each move; a failure stops the move; templates only, the presets check themselves (default: none)")
    .option("--dry-run", "print what would run, wave by wave; change nothing")
    .option("--approve", "approve the plan and run it")
    .option("--max-parallel <n>", "most moves of a wave running at once (default: all of the wave)", intOption("--max-parallel", 1, 10_000))
    .option("--timeout <time>", "stop a move's command after this long, e.g. 30m (default: no limit)", durationMsOption("--timeout"))
    .option("--connect <uri>", "virsh: libvirt URI of a host, {host} standing for its id", DEFAULT_EMIT.connect)
    .option("--namespace <ns>", "kubevirt: namespace of VM ids that name none", DEFAULT_EMIT.namespace)
    .action((file: string, f: ApplyFlags) => applyAction(file, f));
}

async function applyAction(file: string, f: ApplyFlags): Promise<void> {
  const command = executorFor(f);
  let plan = loadWith(file, parseMigrationPlan);
  if (f.dryRun) return dryRun(plan, command);
  const release = lockFile(file);
  let stopping = false;
  const onSignal = (): void => {
    if (!stopping) process.stderr.write("apply: stopping once the running moves finish (the plan records where it stopped)\n");
    stopping = true;
  };
  process.on("SIGINT", onSignal).on("SIGTERM", onSignal);
  try {
    if (f.approve && plan.state === "recommended") plan = { ...plan, state: "approved", execution: { ...plan.execution, approvedAt: new Date().toISOString(), approvedBy: process.env.USER ?? "unknown" } };
    guard(file, plan);
    if (plan.state === "done") return void process.stdout.write(`apply: ${file} is already done\n`);
    const final = await runPlan(plan, {
      run: (m) => attempt(m, command, f.timeout, file),
      save: async (p) => writeFileDurable(file, renderMigrationJson(p)),
      now: () => new Date().toISOString(),
      log: (line) => void process.stdout.write(`${line}\n`),
      stopping: () => stopping,
      maxParallel: f.maxParallel,
      executor: f.executor,
    });
    report(file, final, stopping);
  } finally {
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
    release();
  }
}

function guard(file: string, plan: MigrationPlan): void {
  try {
    checkRunnable(plan);
  } catch (e) {
    if (e instanceof ExecutionError) throw new InputError(`${file}: ${e.message}`);
    throw e;
  }
}

function report(file: string, plan: MigrationPlan, stopped: boolean): void {
  const n = (s: Move["state"]): number => plan.moves.filter((m) => m.state === s).length;
  process.stdout.write(`apply: ${file} is ${plan.state}: ${n("done")} done, ${n("failed")} failed, ${n("recommended") + n("in-progress")} not run\n`);
  if (plan.state === "failed") {
    process.stderr.write(`apply: a move failed, so later waves did not start; fix the cause and run apply again to resume\n`);
    process.exitCode = EXIT_FAILED;
  } else if (stopped && plan.state !== "done") process.exitCode = EXIT_STOPPED;
}

/** MoveCommand: how one move runs, and whether its exit code 3 means a failed pre-check. */
interface MoveCommand {
  text(m: Move): string;
  precheck?(m: Move): string;
  preset: boolean;
}

function executorFor(f: ApplyFlags): MoveCommand {
  if ((EMIT_TARGETS as readonly string[]).includes(f.executor)) {
    if (f.precheck !== undefined) throw new InputError(`--precheck: the ${f.executor} executor checks each VM's host itself`);
    const emit = { connect: f.connect, namespace: f.namespace };
    return { text: (m) => moveScript(f.executor as EmitTarget, m, emit), preset: true };
  }
  for (const [flag, t] of [["--executor", f.executor], ["--precheck", f.precheck]] as const) {
    if (t === undefined) continue;
    if (t.trim() === "") throw new InputError(`${flag} must not be empty`);
    const bad = unknownPlaceholders(t);
    if (bad.length > 0) throw new InputError(`${flag}: unknown placeholder(s) ${bad.map((b) => `{${b}}`).join(", ")} (known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(" ")})`);
  }
  const pre = f.precheck;
  return { text: (m) => fillTemplate(f.executor, moveValues(m, f.namespace)), precheck: pre === undefined ? undefined : (m) => fillTemplate(pre, moveValues(m, f.namespace)), preset: false };
}

/** attempt runs one move's pre-check and command and records how they went. */
async function attempt(m: Move, cmd: MoveCommand, timeoutMs: number | undefined, planPath: string): Promise<Attempt> {
  const startedAt = new Date().toISOString();
  const v = moveValues(m);
  const env = { VMPLACE_PLAN: planPath, VMPLACE_VM: v.vm, VMPLACE_FROM: v.from, VMPLACE_TO: v.to, VMPLACE_WAVE: v.wave, VMPLACE_STEP: v.step };
  if (cmd.precheck) {
    const text = cmd.precheck(m);
    const r = await runShell(text, { env, timeoutMs });
    if (r.exitCode !== 0) return { startedAt, finishedAt: new Date().toISOString(), command: text, ...ended(r), failedAt: "precheck", ok: false, output: r.error ?? r.output };
  }
  const text = cmd.text(m);
  const r = await runShell(text, { env, timeoutMs });
  const ok = r.exitCode === 0;
  const failedAt = ok ? undefined : cmd.preset && r.exitCode === 3 ? "precheck" : "command";
  return { startedAt, finishedAt: new Date().toISOString(), command: text, ...ended(r), ...(failedAt ? { failedAt } : {}), ok, output: r.error ?? r.output };
}

function ended(r: { exitCode?: number; signal?: string }): Pick<Attempt, "exitCode" | "signal"> {
  return { ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}), ...(r.signal !== undefined ? { signal: r.signal } : {}) };
}

function dryRun(plan: MigrationPlan, cmd: MoveCommand): void {
  const waves = pendingWaves(plan);
  const lines = [`apply --dry-run: the plan is ${plan.state}; ${waves.reduce((n, w) => n + w.moves.length, 0)} move(s) to run in ${waves.length} wave(s); nothing is run or written`];
  if (plan.state === "recommended") lines.push("(it must be approved first: vmplace approve PLAN, or apply --approve)");
  for (const w of waves) {
    lines.push(`wave ${w.wave}:`);
    for (const m of w.moves) {
      lines.push(`  step ${m.step}: ${m.vmId} ${m.from} -> ${m.to}${m.state === "failed" ? " (failed before: runs again)" : ""}`);
      if (cmd.precheck) lines.push(`    precheck: ${cmd.precheck(m)}`);
      for (const l of cmd.text(m).split("\n")) lines.push(`    ${l}`);
    }
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}
