import { z } from "zod";

/**
 * RiskLevelSchema: how much harm interference is predicted to do a latency-sensitive VM, for any
 * scheduler. high: the estimate breaches its SLO (no SLO: 10x its alone p99.9 or worse); elevated:
 * only the upper bound does (no SLO: the bound reaches 10x, or the estimate 3x); none otherwise.
 */
export const RiskLevelSchema = z.enum(["none", "elevated", "high"]);
export type RiskLevel = z.infer<typeof RiskLevelSchema>;
export const RISK_ORDER: Record<RiskLevel, number> = { none: 0, elevated: 1, high: 2 };
