/**
 * CPU shapes: an id per distinct (vCPUs, duty, burst, neighbour-reason flags, io load on idle
 * siblings: CpuPart.siblingIo, request wakes: CpuPart.ioWakesUs) of a CPU-bound
 * candidate. On a host without a driver domain these are all that a what-if's judgement of the
 * host's own victims reads of the candidate (its requests load only a driver domain; its own
 * SLOs are judged apart), so equal shapes get equal answers there and a host can keep each
 * shape's answer until it changes (HostState.fitsAt). Fleets are drawn from catalogues of VM
 * sizes: generated-large's 6,000 CPU-bound VMs have 80 shapes. Ids are a process-wide
 * registry, so that every candidate table (CandidateTable.inserted makes new ones) and every
 * host agree on them; ids do not reach any output.
 */

/** The most shapes with an id; later ones get none (NO_SHAPE) and are never kept. */
export const MAX_SHAPES = 1024;
export const NO_SHAPE = -1;

const ids = new Map<string, number>();

/** shapeId: the id of a CPU-bound candidate's shape (NO_SHAPE once MAX_SHAPES are taken). */
export function shapeId(vcpus: number, duty: number, burstUs: number, flags: number, siblingIo = 0, ioWakesUs = 0): number {
  // A number's string round-trips to the same double (ECMAScript Number::toString), so equal
  // keys are equal inputs; -0 is told apart from 0 since the arithmetic could tell them apart.
  // No request wakes: the key without them, so such a shape is the same id whether a host reads
  // the wakes (credit2's grant-end term) or not (HostState.fitsAt picks the id).
  const parts = ioWakesUs === 0 ? [vcpus, duty, burstUs, flags, siblingIo] : [vcpus, duty, burstUs, flags, siblingIo, ioWakesUs];
  const key = parts.map((x) => (Object.is(x, -0) ? "-0" : String(x))).join("/");
  const known = ids.get(key);
  if (known !== undefined) return known;
  if (ids.size >= MAX_SHAPES) return NO_SHAPE;
  ids.set(key, ids.size);
  return ids.size - 1;
}
