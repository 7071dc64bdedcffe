import type { Command } from "commander";
import { DEFAULT_MIX, generateCluster, parseMix } from "../../model/generate.js";
import { InputError } from "../../io/load.js";
import { writeFileAtomic } from "../../io/write.js";
import { intOption } from "../options.js";

interface GenerateFlags {
  hosts: number;
  vms: number;
  seed: number;
  mix?: string;
  placed?: boolean;
  scheduler: string;
  out?: string;
}

/** registerGenerate adds `vmplace generate`: a seeded synthetic cluster, identical bytes per seed. */
export function registerGenerate(program: Command): void {
  program
    .command("generate")
    .description("generate a seeded synthetic cluster document")
    .requiredOption("--hosts <n>", "number of hosts", intOption("--hosts", 1, 100000))
    .requiredOption("--vms <n>", "number of VMs", intOption("--vms", 0, 1000000))
    .option("--seed <n>", "random seed", intOption("--seed", 0, 2 ** 31 - 1), 1)
    .option("--mix <spec>", "workload mix, e.g. io=0.3,cpu=0.5,mixed=0.1,trace=0.1")
    .option("--placed", "give every VM a current host (input for migration planning)")
    .option("--scheduler <kind>", "xen-credit, kvm-cfs or both", "xen-credit")
    .option("--out <file>", "write to a file instead of standard output")
    .action((f: GenerateFlags) => {
      const mix = f.mix === undefined ? DEFAULT_MIX : parseMix(f.mix);
      if (typeof mix === "string") throw new InputError(`--mix: ${mix}`);
      if (f.scheduler !== "xen-credit" && f.scheduler !== "kvm-cfs" && f.scheduler !== "both")
        throw new InputError(`--scheduler must be xen-credit, kvm-cfs or both, got "${f.scheduler}"`);
      const doc = generateCluster({ hosts: f.hosts, vms: f.vms, seed: f.seed, mix, placed: f.placed ?? false, scheduler: f.scheduler });
      const text = `${JSON.stringify(doc, null, 2)}\n`;
      if (f.out) writeFileAtomic(f.out, text);
      else process.stdout.write(text);
    });
}
