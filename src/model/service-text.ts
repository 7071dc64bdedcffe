import type { ServiceTail } from "./objectives.js";

// Beside the model (like violationText) so that score prints a service's tail without loading
// the report layer. Milliseconds as the reports write them (report/format.ts ms).
const ms = (us: number): string => {
  const v = us / 1000;
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
};

/** sloText: a service's SLO targets, e.g. "p99 5.00" or "p99 5.00, p99.9 20.0" (ms). */
export function sloText(s: ServiceTail): string {
  return [s.sloP99Us !== undefined ? `p99 ${ms(s.sloP99Us)}` : "", s.sloP999Us !== undefined ? `p99.9 ${ms(s.sloP999Us)}` : ""].filter((x) => x !== "").join(", ");
}

/** serviceText: one fan-out service's tail against its SLO, in a line. */
export function serviceText(x: ServiceTail): string {
  const sim = x.simulatedP99Us !== undefined ? `, simulated p99 ${ms(x.simulatedP99Us)} ms` : "";
  return `service ${x.id} (${x.vms} VMs, fan-out ${x.fanout}, ${x.hosts} hosts): predicted p99 ${ms(x.predictedP99Us)} ms, p99.9 ${ms(x.predictedP999Us)} ms${sim} vs SLO ${sloText(x)} ms${x.breach ? " BREACH" : ""}`;
}
