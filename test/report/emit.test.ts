import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { planMigrations } from "../../src/migrate/plan-migrations.js";
import { emitScript } from "../../src/report/emit/script.js";
import { fillTemplate, sq, unknownPlaceholders } from "../../src/report/emit/shell.js";
import { moveValues } from "../../src/report/emit/targets.js";
import { file, predictor } from "../migrate/helpers.js";

const plan = planMigrations(file("data/sample-cluster.json"), predictor(), { mode: "evacuate", host: "h01", perHostConcurrent: 1 });

function syntaxOk(script: string): boolean {
  return spawnSync("sh", ["-n"], { input: script }).status === 0;
}

describe("emitted migration scripts", () => {
  test.each(["virsh", "openstack", "kubevirt"] as const)("%s: valid POSIX shell with a function per move and per wave", (target) => {
    const s = emitScript(plan, target);
    expect(syntaxOk(s)).toBe(true);
    for (const m of plan.moves) expect(s).toContain(`move_${m.step}() (`);
    for (const w of plan.waves) expect(s).toContain(`wave_${w.index} || { echo "wave ${w.index} failed`);
  });

  test("openstack: a pre-check of the server's host, then a live migration to the planned host", () => {
    const s = emitScript(plan, "openstack");
    for (const m of plan.moves) {
      expect(s).toContain(`[ "$(openstack server show -f value -c OS-EXT-SRV-ATTR:host ${m.vmId} 2>/dev/null)" = ${m.from} ]`);
      expect(s).toContain(`openstack server migrate --live-migration --host ${m.to} --wait ${m.vmId}`);
    }
  });

  test("kubevirt: one VirtualMachineInstanceMigration per VM, pinned to the target node, in the VM's namespace", () => {
    const moved = { ...plan, moves: plan.moves.map((m, k) => (k === 0 ? { ...m, vmId: "tenant-a/db-1" } : m)) };
    const s = emitScript(moved, "kubevirt");
    expect(s.match(/kind: VirtualMachineInstanceMigration/g)).toHaveLength(plan.moves.length);
    expect(s).toContain(`kubectl get vmi -n tenant-a db-1 -o jsonpath='{.status.nodeName}'`);
    expect(s).toMatch(/namespace: "tenant-a"\nspec:|namespace: "tenant-a"\n {2}labels:/);
    expect(s).toContain(`  vmiName: "db-1"\n  addedNodeSelector:\n    kubernetes.io/hostname: "${plan.moves[0].to}"`);
    expect(s).toMatch(/^VMPLACE_MANIFEST$/m);
  });

  test("moves already done are left out and named", () => {
    const partly = { ...plan, moves: plan.moves.map((m) => (m.wave === 1 ? { ...m, state: "done" as const } : m)) };
    const s = emitScript(partly, "virsh");
    const first = plan.moves.filter((m) => m.wave === 1);
    expect(s).toContain(`already done are left out: ${first.map((m) => `step ${m.step}`).join(", ")}`);
    for (const m of first) expect(s).not.toContain(`move_${m.step}() (`);
    expect(s).not.toContain("wave_1 ||");
  });
});

describe("executor templates", () => {
  test("values are shell-quoted, so an id cannot break out of its word", () => {
    expect(sq("web-3")).toBe("web-3");
    expect(sq("it's; rm -rf /")).toBe(`'it'\\''s; rm -rf /'`);
    const out = spawnSync("sh", ["-c", `printf %s ${sq("a b'c$(x)")}`], { encoding: "utf8" }).stdout;
    expect(out).toBe("a b'c$(x)");
  });

  test("placeholders fill from the move; unknown ones are named", () => {
    const m = plan.moves[0];
    expect(fillTemplate("go {vm} {from} {to} {wave} {step} {memoryMiB}", moveValues(m))).toBe(`go ${m.vmId} ${m.from} ${m.to} ${m.wave} ${m.step} ${m.memoryMiB}`);
    expect(unknownPlaceholders("go {vm} {host} {to} {hosts}")).toEqual(["host", "hosts"]);
  });
});
