import type { MigrationPlan, Move } from "../../model/migration.js";
import { duration } from "../migration-text.js";
import { DEFAULT_EMIT, moveScript, type EmitOptions, type EmitTarget } from "./targets.js";

const TOOL: Record<EmitTarget, string> = { virsh: "virsh (libvirt)", openstack: "the openstack client (nova)", kubevirt: "kubectl (KubeVirt)" };

/**
 * emitScript writes a migration plan as one POSIX shell script for the operator's own tool: one
 * function per move (its pre-check and its migration), one per wave that starts its moves
 * together and waits for all, and a main part that runs the waves in order and stops at the
 * first wave with a failure, as the plan's safety was judged wave by wave. Moves already done (a
 * plan `vmplace apply` has partly run) are left out and named in a comment.
 */
export function emitScript(plan: MigrationPlan, target: EmitTarget, o: EmitOptions = DEFAULT_EMIT): string {
  const todo = plan.moves.filter((m) => m.state !== "done");
  const done = plan.moves.length - todo.length;
  const s = plan.summary;
  const out: string[] = [
    "#!/bin/sh",
    `# vmplace migration plan (${plan.options.mode}): ${todo.length} migration(s) in ${new Set(todo.map((m) => m.wave)).size} wave(s) with ${TOOL[target]}.`,
    `# Predicted ${duration(s.durationSec)} in all, longest pause ${Math.round(s.worstDowntimeMs)} ms; SLO breaches predicted ${s.before.breaches} -> ${s.after.breaches}.`,
    ...(done > 0 ? [`# ${done} move(s) already done are left out: ${plan.moves.filter((m) => m.state === "done").map((m) => `step ${m.step}`).join(", ")}.`] : []),
    "# Each move first checks that its VM runs where the plan assumed (exit 3 if not); a wave's",
    "# moves run together and the script stops before the next wave if any of them failed.",
    "set -u",
    "",
  ];
  for (const m of todo) out.push(...moveFunction(target, m, o));
  const waves = [...new Set(todo.map((m) => m.wave))];
  for (const w of waves) out.push(...waveFunction(w, todo.filter((m) => m.wave === w)));
  for (const w of waves) out.push(`wave_${w} || { echo "wave ${w} failed: stopping before the next wave" >&2; exit 1; }`);
  out.push(`echo "all ${todo.length} migration(s) done"`, "");
  return out.join("\n");
}

function moveFunction(target: EmitTarget, m: Move, o: EmitOptions): string[] {
  const comment = `# step ${m.step}, wave ${m.wave}: ${m.vmId} ${m.from} -> ${m.to} (${m.kind}, ${(m.memoryMiB / 1024).toFixed(1)} GiB, ~${duration(m.durationSec)}, pause ~${Math.round(m.downtimeMs)} ms)`;
  // A subshell body, so `exit` ends the move, not the script; not indented, so a here-document's
  // terminator stays at the start of its line.
  return [comment, `move_${m.step}() (`, moveScript(target, m, o), ")", ""];
}

function waveFunction(w: number, moves: readonly Move[]): string[] {
  return [
    `wave_${w}() {`,
    `  echo "wave ${w}: ${moves.length} migration(s)"`,
    "  pids=''",
    ...moves.map((m) => `  move_${m.step} & pids="$pids $!"`),
    "  failed=0",
    '  for pid in $pids; do wait "$pid" || failed=1; done',
    "  return $failed",
    "}",
    "",
  ];
}
