/**
 * Stable names of the placement's constraints and objectives. The same name labels a plugin, its
 * LP rows, its reasons in an infeasibility report, its scores in an explanation and its tests.
 */
export const RESOURCE_FIT = "ResourceFit";
export const ANTI_AFFINITY = "AntiAffinity";
export const AFFINITY = "Affinity";
export const HOST_LABEL = "HostLabel";
export const INTERFERENCE = "Interference";
export const CONSOLIDATION = "Consolidation";
export const BALANCE = "Balance";
export const RISK = "Risk";
/** Framework rows that belong to no plugin: each VM on exactly one host, symmetry breaking. */
export const ASSIGNMENT = "Assignment";
export const SYMMETRY = "Symmetry";
export const ENERGY = "Energy";
export const SERVICE_TAIL = "ServiceTail";
export const HEADROOM = "Headroom";
