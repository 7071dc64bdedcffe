/**
 * Shell text for the emitted scripts and the executor templates. Every value that comes from a
 * document (VM and host ids) is single-quoted, so no id can break out of its word.
 */

/** sq: a POSIX shell word that stands for exactly `s`. */
export function sq(s: string): string {
  return /^[A-Za-z0-9_./:@=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** PLACEHOLDERS: what an executor template may name, each filled per move. */
export const PLACEHOLDERS = ["vm", "from", "to", "wave", "step", "memoryMiB", "namespace", "name"] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

export type MoveValues = Record<Placeholder, string>;

/** unknownPlaceholders: the `{names}` in a template that are not placeholders. */
export function unknownPlaceholders(template: string): string[] {
  const names = [...template.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1]);
  return [...new Set(names.filter((n) => !(PLACEHOLDERS as readonly string[]).includes(n)))];
}

/** fillTemplate puts each move's values, shell-quoted, where the template names them. */
export function fillTemplate(template: string, values: MoveValues): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => ((PLACEHOLDERS as readonly string[]).includes(name) ? sq(values[name as Placeholder]) : whole));
}

/** splitVmId: KubeVirt ids are namespace/name (as the extender names pods); others are a bare name. */
export function splitVmId(id: string, defaultNamespace = "default"): { namespace: string; name: string } {
  const k = id.indexOf("/");
  return k < 0 ? { namespace: defaultNamespace, name: id } : { namespace: id.slice(0, k), name: id.slice(k + 1) };
}
