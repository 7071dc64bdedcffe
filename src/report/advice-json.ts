import { AdviceSchema, type Advice } from "../model/advice.js";

/** renderAdviceJson: the advice as stable JSON (parsed through its schema, so key order is the schema's). */
export function renderAdviceJson(a: Advice): string {
  return `${JSON.stringify(AdviceSchema.parse(a), null, 2)}\n`;
}
