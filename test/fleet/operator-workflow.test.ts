import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MigrationPlanSchema } from "../../src/model/migration.js";
import type { Audit } from "../../src/api/fleet/schemas.js";
import { CLI, runCliAsync } from "../helpers/cli.js";
import { FleetExporter, scrapedFleet, stopScrapedFleet, sleep, type RunningPrometheus } from "../helpers/prometheus.js";
import { bobtailFleet, WINDOW_FLAGS } from "./fleet.js";

const dir = mkdtempSync(join(tmpdir(), "vmplace-operator-"));
const fleet = bobtailFleet();
const exporter = new FleetExporter(fleet.hosts, fleet.vms);
let prom: RunningPrometheus;
const cluster = join(dir, "cluster.json");

beforeAll(async () => {
  prom = await scrapedFleet(exporter, "libvirt_domain_info_cpu_time_seconds_total", fleet.vms.length, 15_000);
}, 60_000);

afterAll(() => stopScrapedFleet(prom, exporter));

describe("the operator's workflow on a live fleet (done-when of issue 16)", { timeout: 120_000 }, () => {
  test("import from Prometheus, score finds the Bobtail hot spot, migrate --emit virsh writes the fix", async () => {
    const imp = await runCliAsync(["import", "--format", "prometheus", "--url", prom.url, ...WINDOW_FLAGS, "--out", cluster]);
    expect(imp.code).toBe(0);

    // A breach makes score's result not whole: exit 3, as the exit-code policy says.
    const score = await runCliAsync(["score", cluster, "--json"]);
    expect(score.code).toBe(3);
    expect(score.stderr).toMatch(/result not whole/);
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

  test("serve --source prometheus --audit-every exposes the breach as a gauge and the fix at /v1/audits/latest, and sees the fleet change", async () => {
    const server = spawn(process.execPath, [CLI, "serve", "--port", "0", "--source", "prometheus", "--url", prom.url, ...WINDOW_FLAGS, "--audit-every", "2s"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    server.stdout.on("data", (d: Buffer) => (out += d.toString()));
    server.stderr.on("data", (d: Buffer) => (out += d.toString()));
    try {
      const base = await until("the server to listen", async () => /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1]);
      const latest = async (): Promise<Audit | undefined> => {
        const r = await fetch(`${base}/v1/audits/latest`);
        return r.status === 200 ? ((await r.json()) as Audit) : undefined;
      };
      const first = await until("the first audit", latest);
      expect(first).toMatchObject({ ok: true, vms: fleet.vms.length, hostsAtRisk: 1 });
      expect(first.source).toMatch(/^prometheus http:\/\/127\.0\.0\.1:\d+, 12 s window every 1 s$/);
      expect(first.breaching.every((b) => b.hostId === "h01")).toBe(true);
      const fix = first.recommendation!;
      expect(fix.moves.length).toBeGreaterThan(0);
      expect(fix.summary.after.breaches).toBe(0);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(Number(/^vmplace_host_slo_breaches\{host="h01"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
      expect(metrics).toMatch(/^vmplace_host_slo_breaches\{host="h02"\} 0$/m);
      expect(metrics).toMatch(/^vmplace_host_bobtail\{host="h01"\} 1$/m);
      expect(Number(/^vmplace_host_predicted_p999_seconds\{host="h01"\} (\S+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);

      // The operator applies the fix; the exporter now reports the VMs on their new hosts.
      for (const m of fix.moves) exporter.move(m.vmId, m.to);
      const after = await until(
        "an audit without the hot spot",
        async () => {
          const a = await latest();
          return a && a.id > first.id && a.ok && a.breaches === 0 ? a : undefined;
        },
        30_000,
      );
      expect(after.recommendation).toBeUndefined();
      expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^vmplace_host_slo_breaches\{host="h01"\} 0$/m);
    } finally {
      server.kill("SIGTERM");
      await new Promise((r) => server.once("exit", r));
    }
  });
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}
