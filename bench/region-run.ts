import { writeSync } from "node:fs";
import { pathToFileURL } from "node:url";

/**
 * region-run runs one vmplace CLI (this build's or another's: `node region-run.js CLI ARGS...`)
 * in this process and, at exit, writes the process's peak resident set and CPU time to stderr
 * on a line starting "REGION ", for bench/region.ts: a child per plan, so the peak is that plan's.
 */
const [cli, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], cli, ...args];
process.on("exit", () => {
  const r = process.resourceUsage();
  writeSync(2, `\nREGION ${JSON.stringify({ maxRssKiB: r.maxRSS, cpuMs: Math.round((r.userCPUTime + r.systemCPUTime) / 1000) })}\n`);
});
await import(pathToFileURL(cli).href);
