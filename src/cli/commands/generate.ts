import type { Command } from "commander";
import type { ClusterInput } from "../../model/cluster.js";
import { DEFAULT_MIX, generateCluster, parseMix } from "../../model/generate.js";
import { generateTightCluster } from "../../model/generate-tight.js";
import { InputError } from "../../io/load.js";
import { checkWritable, writeFileAtomic } from "../../io/write.js";
import { generatedSummary } from "../generate-summary.js";
import { intOption } from "../options.js";

interface GenerateFlags {
  hosts: number;
  vms: number;
  seed: number;
  mix?: string;
  placed?: boolean;
  scheduler: string;
  profile: string;
  out?: string;
}

/** registerGenerate adds `vmplace generate`: a seeded synthetic cluster, identical bytes per seed. */
export function registerGenerate(program: Command): void {
  program
    .command("generate")
    .description("generate a seeded synthetic cluster document")
    .requiredOption("--hosts <n>", "number of hosts (required)", intOption("--hosts", 1, 100000))
    .requiredOption("--vms <n>", "number of VMs (required)", intOption("--vms", 0, 1000000))
    .option("--seed <n>", "random seed", intOption("--seed", 0, 2 ** 31 - 1), 1)
    .option("--mix <spec>", "workload mix, e.g. io=0.3,cpu=0.5,mixed=0.1,trace=0.1 (default: the built-in mix of every kind)")
    .option("--placed", "give every VM a current host (input for migration planning)")
    .option("--scheduler <kind>", "xen-credit, kvm-cfs or both", "xen-credit")
    .option(
      "--profile <name>",
      "mixed: interference-prone workloads and constraints; tight: idle VMs on a host-type menu where network binds (demand/capacity 0.67 CPU, 0.42 memory, 0.73 network)",
      "mixed",
    )
    .option("--out <file>", "write to a file (default: standard output)")
    .action((f: GenerateFlags) => {
      if (f.out) checkWritable(f.out);
      const doc = generateDocument(f);
      const text = `${JSON.stringify(doc, null, 2)}\n`;
      if (f.out) writeFileAtomic(f.out, text);
      else process.stdout.write(text);
      process.stderr.write(generatedSummary(doc, f.out));
    });
}

function generateDocument(f: GenerateFlags): ClusterInput {
  if (f.profile === "tight") {
    // Idle VMs make the scheduler irrelevant; refusing the flags beats silently ignoring them.
    if (f.mix !== undefined || f.placed || f.scheduler !== "xen-credit")
      throw new InputError("--profile tight: --mix, --placed and --scheduler apply only to --profile mixed");
    return generateTightCluster({ hosts: f.hosts, vms: f.vms, seed: f.seed });
  }
  if (f.profile !== "mixed") throw new InputError(`--profile must be mixed or tight, got "${f.profile}"`);
  const mix = f.mix === undefined ? DEFAULT_MIX : parseMix(f.mix);
  if (typeof mix === "string") throw new InputError(`--mix: ${mix}`);
  if (f.scheduler !== "xen-credit" && f.scheduler !== "kvm-cfs" && f.scheduler !== "both")
    throw new InputError(`--scheduler must be xen-credit, kvm-cfs or both, got "${f.scheduler}"`);
  return generateCluster({ hosts: f.hosts, vms: f.vms, seed: f.seed, mix, placed: f.placed ?? false, scheduler: f.scheduler });
}
