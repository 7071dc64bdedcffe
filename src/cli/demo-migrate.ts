import { writeFileAtomic } from "../io/write.js";
import type { Cluster } from "../model/cluster.js";
import type { MigrationPlan } from "../model/migration.js";
import { renderDocument } from "../report/render.js";
import { RESIMULATE_HOSTS, RESIMULATE_MS, runMigrate } from "./commands/migrate.js";
import { renderMigrationSummary } from "./render-migration.js";

export const DEMO_REPORT = "report.html";

/**
 * demoMigrate is the demo's last step: recommend live migrations from the sample's current
 * placement (scored just before by the demo), re-simulate the hosts they change and write the
 * HTML report an operator would open.
 */
export async function demoMigrate(cluster: Cluster, reportPath: string = DEMO_REPORT): Promise<MigrationPlan | undefined> {
  if (!cluster.vms.some((v) => v.host !== undefined)) {
    process.stdout.write("\n== migrations\nno VM carries its current host: nothing to migrate\n");
    return undefined;
  }
  const plan = await runMigrate(cluster, { simulate: true, simulateDuration: RESIMULATE_MS, simulateHosts: RESIMULATE_HOSTS });
  writeFileAtomic(reportPath, renderDocument({ kind: "migration", doc: plan }, "html"));
  process.stdout.write(`\n== migrations\n${renderMigrationSummary(plan)}\nreport written to ${reportPath}\n`);
  return plan;
}
