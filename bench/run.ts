import { benchSim } from "./sim.js";
import { benchSimIdentity } from "./sim-identity.js";
import { benchSimDrift } from "./sim-drift.js";
import { benchInterference } from "./interference.js";
import { benchApi } from "./api.js";
import { benchMilp } from "./milp.js";
import { benchPlacement } from "./placement.js";
import { benchMigrate } from "./migrate.js";
import { benchProbe } from "./probe.js";
import { benchStartup } from "./startup.js";
import { benchTight } from "./tight.js";
import { benchScale } from "./scale.js";
import { benchWarmup } from "./warmup.js";
import { benchAdvise } from "./advise.js";
import { benchRegion } from "./region.js";
import { benchObjectives } from "./objectives.js";
import { benchPlanHosts } from "./plan-hosts.js";
import { benchPlanSeeds } from "./plan-seeds.js";

// One entry per bench module; `npm run bench -- NAME` runs only the named ones.
const BENCHES: [name: string, run: () => Promise<void>][] = [
  ["sim", benchSim],
  ["identity", benchSimIdentity],
  ["drift", benchSimDrift],
  ["interference", benchInterference],
  ["api", benchApi],
  ["milp", benchMilp],
  ["placement", benchPlacement],
  ["migrate", benchMigrate],
  ["probe", benchProbe],
  ["startup", benchStartup],
  ["tight", benchTight],
  ["scale", benchScale],
  ["warmup", benchWarmup],
  ["advise", benchAdvise],
  ["region", benchRegion],
  ["objectives", benchObjectives],
  ["plan-hosts", benchPlanHosts],
  ["plan-seeds", benchPlanSeeds],
];

const only = process.argv.slice(2);
for (const [name, run] of BENCHES) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`# ${name}`);
  await run();
}
