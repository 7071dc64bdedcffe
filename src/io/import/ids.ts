import { ID_CHARS } from "../../model/cluster.js";

/** Characters the model does not allow in an id (see ID_CHARS in src/model/ids.ts). */
const NOT_ID_CHAR = new RegExp(`[^${ID_CHARS}]`, "gu");
const MAX_ID_LENGTH = 200;

/**
 * idFromName turns a file name or a foreign id into a valid model id: every other character
 * (PlanetLab names hold spaces, Azure ids hold `+` and `=`) becomes `_`.
 */
export function idFromName(name: string): string {
  const id = name.replace(NOT_ID_CHAR, "_").slice(0, MAX_ID_LENGTH);
  return id === "" ? "_" : id;
}

/**
 * IdAllocator hands out unique ids in input order: a clash after sanitising (`a b` and `a_b`) gets
 * `-2`, `-3`, ... so every input item survives and the same input always gives the same ids.
 */
export class IdAllocator {
  private readonly taken = new Set<string>();

  take(name: string): string {
    const base = idFromName(name);
    let id = base;
    for (let n = 2; this.taken.has(id); n++) {
      const suffix = `-${n}`;
      id = base.slice(0, MAX_ID_LENGTH - suffix.length) + suffix;
    }
    this.taken.add(id);
    return id;
  }
}
