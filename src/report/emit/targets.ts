import type { Move } from "../../model/migration.js";
import { splitVmId, sq, type MoveValues } from "./shell.js";

export const EMIT_TARGETS = ["virsh", "openstack", "kubevirt"] as const;
export type EmitTarget = (typeof EMIT_TARGETS)[number];

export interface EmitOptions {
  /** virsh: the libvirt URI of a host, `{host}` standing for its id (default qemu+ssh://{host}/system). */
  readonly connect: string;
  /** kubevirt: the namespace of VM ids that name none. */
  readonly namespace: string;
}

export const DEFAULT_EMIT: EmitOptions = { connect: "qemu+ssh://{host}/system", namespace: "default" };

/** moveValues: a move's placeholder values (templates, emitted scripts). */
export function moveValues(m: Move, namespace = DEFAULT_EMIT.namespace): MoveValues {
  const { namespace: ns, name } = splitVmId(m.vmId, namespace);
  return { vm: m.vmId, from: m.from, to: m.to, wave: String(m.wave), step: String(m.step), memoryMiB: String(m.memoryMiB), namespace: ns, name };
}

/**
 * moveScript: the POSIX shell that carries out one move with the target's own tool. Each first
 * checks where the VM runs: already on the target is success (a move interrupted after its
 * switch-over, run again), anywhere but the plan's source is a failed pre-check (exit 3), and
 * only then the migration runs. Exit 0 means the VM runs on the target.
 */
export function moveScript(target: EmitTarget, m: Move, o: EmitOptions = DEFAULT_EMIT): string {
  const v = moveValues(m, o.namespace);
  switch (target) {
    case "virsh":
      return virsh(v, o);
    case "openstack":
      return openstack(v);
    case "kubevirt":
      return kubevirt(v, m);
  }
}

/** guard: success when the VM already runs on the target, exit 3 when it does not run on the source. */
function guard(v: MoveValues, onTarget: string, onSource: string): string {
  return [
    `if ${onTarget}; then echo "step ${v.step}: ${v.vm} already runs on ${v.to}"; exit 0; fi`,
    `if ! ${onSource}; then echo "step ${v.step}: pre-check failed: ${v.vm} does not run on ${v.from} as the plan assumed" >&2; exit 3; fi`,
  ].join("\n");
}

function virsh(v: MoveValues, o: EmitOptions): string {
  const uri = (h: string): string => sq(o.connect.replace(/\{host\}/g, h));
  const running = (h: string): string => `[ "$(virsh -c ${uri(h)} domstate ${sq(v.vm)} 2>/dev/null)" = running ]`;
  return [
    guard(v, running(v.to), running(v.from)),
    `virsh -c ${uri(v.from)} migrate --live --persistent --undefinesource --verbose ${sq(v.vm)} ${uri(v.to)}`,
  ].join("\n");
}

function openstack(v: MoveValues): string {
  const on = (h: string): string => `[ "$(openstack server show -f value -c OS-EXT-SRV-ATTR:host ${sq(v.vm)} 2>/dev/null)" = ${sq(h)} ]`;
  return [guard(v, on(v.to), on(v.from)), `openstack server migrate --live-migration --host ${sq(v.to)} --wait ${sq(v.vm)}`].join("\n");
}

// KubeVirt: wait at least this long, and ten times the predicted duration, before giving up.
const MIN_WAIT_SEC = 600;

function kubevirt(v: MoveValues, m: Move): string {
  const on = (h: string): string => `[ "$(kubectl get vmi -n ${sq(v.namespace)} ${sq(v.name)} -o jsonpath='{.status.nodeName}' 2>/dev/null)" = ${sq(h)} ]`;
  const waitSec = Math.max(MIN_WAIT_SEC, Math.ceil(m.durationSec * 10));
  return [
    guard(v, on(v.to), on(v.from)),
    `created=$(kubectl create -o name -f - <<'VMPLACE_MANIFEST'`,
    migrationManifest(v),
    `VMPLACE_MANIFEST`,
    `) || exit 1`,
    `deadline=$(( $(date +%s) + ${waitSec} ))`,
    `while :; do`,
    `  phase=$(kubectl get -n ${sq(v.namespace)} "$created" -o jsonpath='{.status.phase}')`,
    `  case "$phase" in Succeeded) break ;; Failed) echo "step ${v.step}: $created failed" >&2; exit 1 ;; esac`,
    `  if [ "$(date +%s)" -ge "$deadline" ]; then echo "step ${v.step}: $created still $phase after ${waitSec} s" >&2; exit 1; fi`,
    `  sleep 5`,
    `done`,
  ].join("\n");
}

/**
 * migrationManifest: one VirtualMachineInstanceMigration. addedNodeSelector (KubeVirt 1.6+) pins
 * the target node; on an older KubeVirt drop it and the scheduler picks the node.
 */
export function migrationManifest(v: MoveValues): string {
  const slug = `${v.name}`.toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/^-+|-+$/g, "").slice(0, 40);
  return [
    "apiVersion: kubevirt.io/v1",
    "kind: VirtualMachineInstanceMigration",
    "metadata:",
    `  generateName: vmplace-s${v.step}-${slug}-`,
    `  namespace: ${JSON.stringify(v.namespace)}`,
    "  labels:",
    "    app.kubernetes.io/managed-by: vmplace",
    `    vmplace.io/wave: ${JSON.stringify(v.wave)}`,
    `    vmplace.io/step: ${JSON.stringify(v.step)}`,
    "spec:",
    `  vmiName: ${JSON.stringify(v.name)}`,
    "  addedNodeSelector:",
    `    kubernetes.io/hostname: ${JSON.stringify(v.to)}`,
  ].join("\n");
}
