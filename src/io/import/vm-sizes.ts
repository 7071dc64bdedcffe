import seedrandom from "seedrandom";

/** VmSize is the part of a VM a utilisation trace does not record. */
export interface VmSize {
  vcpus: number;
  memoryMiB: number;
}

/**
 * DEFAULT_VM_MIX: PlanetLab records no sizes, so each VM gets one of these common small cloud
 * shapes, equally likely (1 vCPU/2 GiB, 2/4 GiB, 2/8 GiB, 4/16 GiB: general-purpose and
 * memory-leaning sizes of the usual instance families).
 */
export const DEFAULT_VM_MIX: readonly VmSize[] = [
  { vcpus: 1, memoryMiB: 2048 },
  { vcpus: 2, memoryMiB: 4096 },
  { vcpus: 2, memoryMiB: 8192 },
  { vcpus: 4, memoryMiB: 16384 },
];

/**
 * pickVmSize draws a VM's shape from the mix with a generator seeded by (seed, the VM's name), so a
 * VM keeps its size whatever other files are imported beside it or in which order.
 */
export function pickVmSize(seed: number, name: string): VmSize {
  const draw = seedrandom(`vmplace-import:${seed}:${name}`)();
  return DEFAULT_VM_MIX[Math.min(DEFAULT_VM_MIX.length - 1, Math.floor(draw * DEFAULT_VM_MIX.length))];
}

/** sizeFor applies `--vcpus` / `--memory-mib` where given and the seeded mix for what is not. */
export function sizeFor(seed: number, name: string, given: Partial<VmSize>): VmSize {
  if (given.vcpus !== undefined && given.memoryMiB !== undefined) return { vcpus: given.vcpus, memoryMiB: given.memoryMiB };
  const drawn = pickVmSize(seed, name);
  return { vcpus: given.vcpus ?? drawn.vcpus, memoryMiB: given.memoryMiB ?? drawn.memoryMiB };
}
