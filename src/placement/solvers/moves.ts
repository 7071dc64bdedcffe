import { hostOk, type Item } from "../items.js";
import { itemsOn, liftItem, placeBestFit, placeItem, sampleHosts, sampleUsed, type MoveContext } from "./ruin-recreate.js";

/** randomItem picks a random item on a random used host. */
function randomItem(c: MoveContext): Item | undefined {
  const used = c.s.usedList;
  if (used.length === 0) return undefined;
  const i = used[Math.floor(c.rng() * used.length)];
  const vms = c.s.vmsOn[i];
  return c.set.items[c.set.itemOf[vms[Math.floor(c.rng() * vms.length)]]];
}

/**
 * relocate moves one item to another used host: the fullest it fits under min-cost (best fit
 * drains hosts), a random one otherwise (late acceptance judges the objective).
 */
export function relocate(c: MoveContext): boolean {
  const item = randomItem(c);
  if (!item) return false;
  const from = c.s.hostOf[item.vms[0]];
  const cands = sampleHosts(c, c.s.roomyList, 8, [from]);
  liftItem(c, item);
  if (!hostOk(c.s, from)) return false;
  if (c.s.problem.policy.objective === "min-cost") return placeBestFit(c, item, cands);
  for (const i of cands) if (placeItem(c, item, i)) return true;
  return false;
}

/** swap exchanges two items on different hosts when both fit on the other's host. */
export function swap(c: MoveContext): boolean {
  const a = randomItem(c);
  if (!a) return false;
  const ha = c.s.hostOf[a.vms[0]];
  const hb = sampleUsed(c, 1, [ha])[0];
  if (hb === undefined) return false;
  const onB = itemsOn(c, hb);
  const b = onB[Math.floor(c.rng() * onB.length)];
  liftItem(c, a);
  liftItem(c, b);
  if (!hostOk(c.s, ha) || !hostOk(c.s, hb)) return false;
  return placeItem(c, a, hb) && placeItem(c, b, ha);
}
