import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Scenario } from "../src/model/scenario.js";

/** Interleaved end-to-end calls per build (SIM_CLI_REPS). */
const CLI_REPS = Number(process.env.SIM_CLI_REPS ?? 5);

/**
 * The issue's own unit: a whole `vmplace simulate FILE --json` call on the cell, process start,
 * parsing, JIT warm-up and output included, timed in wall seconds from spawn to exit. Each build
 * runs its user-facing entry: the package's bin (dist/cli/vmplace.js) where the build has one,
 * else its unbundled CLI (dist/src/cli/main.js, as 2c86fb3 shipped). Both answers must match apart
 * from eventsProcessed.
 */
export function benchSimCli(line: (k: string, v: string) => void, s: Scenario, dists: { label: string; dir: string }[]): void {
  const dir = mkdtempSync(join(tmpdir(), "vmplace-sim-cli-"));
  try {
    const file = join(dir, "cell.json");
    writeFileSync(file, JSON.stringify(s));
    const calls = entries(dists);
    const wall: number[][] = calls.map(() => []);
    const answers: string[] = calls.map(() => "");
    for (let r = 0; r < CLI_REPS; r++) {
      const order = r % 2 === 0 ? calls.map((_, i) => i) : calls.map((_, i) => calls.length - 1 - i);
      for (const i of order) {
        const t0 = performance.now();
        const out = spawnSync(process.execPath, [calls[i].entry, "simulate", file, "--json"], { encoding: "utf8", maxBuffer: 1 << 26 });
        wall[i].push(performance.now() - t0);
        if (out.status !== 0) throw new Error(`sim-cli: ${calls[i].entry} exited ${out.status}: ${out.stderr.slice(0, 300)}`);
        const { eventsProcessed: _events, ...visible } = JSON.parse(out.stdout) as Record<string, unknown>;
        answers[i] = JSON.stringify(visible);
      }
    }
    const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    calls.forEach((c, i) => line(`  vmplace simulate, ${c.label}`, `${(med(wall[i]) / 1000).toFixed(2)} s wall (median of ${CLI_REPS})`));
    if (dists.length < 2) return;
    const x = (i: number): string => `${(med(wall[0]) / med(wall[i])).toFixed(2)}x${answers[i] === answers[0] ? "" : " (answers DIFFER)"}`;
    const rest = calls.slice(1).map((c, i) => `${x(i + 1)} ${c.short}`);
    line("  end-to-end speed-up (goal >= 1.5x)", `${rest.join(", ")} (wall; answers identical apart from eventsProcessed unless said)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each build's user-facing entry; the last (this) build's unbundled CLI too, so the bundle's share shows. */
function entries(dists: { label: string; dir: string }[]): { label: string; short: string; entry: string }[] {
  const out: { label: string; short: string; entry: string }[] = [];
  dists.forEach((d, i) => {
    const bin = join(d.dir, "cli/vmplace.js");
    const plain = join(d.dir, "src/cli/main.js");
    const last = i === dists.length - 1;
    if (existsSync(bin)) out.push({ label: `${d.label}, bin`, short: "bin", entry: bin });
    if (!existsSync(bin) || last) out.push({ label: `${d.label}, src/cli/main.js`, short: "unbundled", entry: plain });
  });
  return out;
}
