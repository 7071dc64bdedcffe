import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MigrationPlanSchema } from "../../src/model/migration.js";
import { runCliAsync } from "../helpers/cli.js";
import { FleetExporter, sleep, startPrometheus, waitForSeries, type RunningPrometheus } from "../helpers/prometheus.js";
import { bobtailFleet, WINDOW_FLAGS } from "./fleet.js";

const dir = mkdtempSync(join(tmpdir(), "vmplace-operator-"));
const fleet = bobtailFleet();
const exporter = new FleetExporter(fleet.hosts, fleet.vms);
let prom: RunningPrometheus;
const cluster = join(dir, "cluster.json");

beforeAll(async () => {
  await exporter.start();
  prom = await startPrometheus(exporter);
  await waitForSeries(prom.url, "libvirt_domain_info_cpu_time_seconds_total", fleet.vms.length);
  await sleep(15_000);
}, 60_000);

afterAll(async () => {
  await prom?.stop();
  await exporter.stop();
});

describe("the operator's workflow on a live fleet (done-when of issue 16)", { timeout: 120_000 }, () => {
  test("import from Prometheus, score finds the Bobtail hot spot, migrate --emit virsh writes the fix", async () => {
    const imp = await runCliAsync(["import", "--format", "prometheus", "--url", prom.url, ...WINDOW_FLAGS, "--out", cluster]);
    expect(imp.code).toBe(0);

    const score = await runCliAsync(["score", cluster, "--json"]);
    expect(score.code).toBe(0);
    const report = JSON.parse(score.stdout) as { hosts: { hostId: string; bobtail: boolean; breaches: number }[]; vms: { vmId: string; hostId: string; breach: boolean }[] };
    expect(report.hosts[0]).toMatchObject({ hostId: "h01", bobtail: true });
    expect(report.hosts[0].breaches).toBeGreaterThan(0);
    expect(report.vms.filter((v) => v.breach).map((v) => v.hostId)).toEqual(["h01"]);

    const script = join(dir, "fix.sh");
    const planPath = join(dir, "plan.json");
    const mig = await runCliAsync(["migrate", cluster, "--no-simulate", "--emit", "virsh", "--emit-out", script, "--format", "json", "--out", planPath]);
    expect(mig.code).toBe(0);
    const plan = MigrationPlanSchema.parse(JSON.parse(readFileSync(planPath, "utf8")));
    expect(plan.summary.before.breaches).toBeGreaterThan(0);
    expect(plan.summary.after.breaches).toBe(0);
    expect(plan.moves.length).toBeGreaterThan(0);
    expect(plan.moves.every((m) => m.from === "h01")).toBe(true);
    const text = readFileSync(script, "utf8");
    for (const m of plan.moves) expect(text).toContain(`virsh -c qemu+ssh://h01/system migrate --live --persistent --undefinesource --verbose ${m.vmId} qemu+ssh://${m.to}/system`);
  });
});
