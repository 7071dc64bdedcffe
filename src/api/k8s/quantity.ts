/**
 * Kubernetes resource quantities ("500m", "2", "1.5", "4Gi", "512Mi", "1e3", "2G"): the subset
 * that pods' cpu and memory requests use. Binary suffixes are powers of 1024, decimal ones
 * powers of 1000, and "m" is a thousandth (millicores).
 */
const SUFFIX: Record<string, number> = {
  "": 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei))?$/;

/** parseQuantity returns the quantity in base units (cores, bytes), or undefined if malformed. */
export function parseQuantity(q: string | number): number | undefined {
  if (typeof q === "number") return Number.isFinite(q) ? q : undefined;
  const m = QUANTITY.exec(q.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  const value = m[2] !== undefined ? Number(`${m[1]}${m[2]}`) : base * SUFFIX[m[3] ?? ""];
  return Number.isFinite(value) ? value : undefined;
}

/** cpuToVcpus rounds a cpu quantity up to whole vCPUs: a VM cannot have half a vCPU. */
export function cpuToVcpus(cores: number): number {
  // 1e-9 absorbs float noise such as 0.1 + 0.2 (three "100m" containers).
  return Math.max(1, Math.ceil(cores - 1e-9));
}

/** bytesToMiB rounds a memory quantity up to whole MiB. */
export function bytesToMiB(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 2 ** 20 - 1e-9));
}
