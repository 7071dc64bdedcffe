import { describe, expect, test } from "vitest";
import { CreditMeter } from "../../../src/sim/schedulers/xen-credit/credit-meter.js";

describe("credit1 credit meter", () => {
  test("burn debits one credit per whole 100 us run and carries the rest to the next burn", () => {
    const credit = new Int32Array([300, 300]);
    const meter = new CreditMeter(2, credit);
    meter.start(0, 1000);
    meter.burn(0, 1250); // 250 us: 2 credits, 50 us carried
    expect(credit[0]).toBe(298);
    meter.burn(0, 1310); // 60 + 50 carried = 110 us: 1 credit, 10 carried
    expect(credit[0]).toBe(297);
    meter.burn(0, 1310); // nothing ran
    meter.burn(0, 1399); // 89 + 10 = 99 us: no credit yet
    expect(credit[0]).toBe(297);
    meter.burn(0, 1400); // 100 us exactly
    expect(credit[0]).toBe(296);
    expect(credit[1]).toBe(300);
  });

  test("time before start is not run time, and a run past 2^31 us is debited in full", () => {
    const credit = new Int32Array(1);
    const meter = new CreditMeter(1, credit);
    meter.start(0, 5_000_000);
    meter.burn(0, 5_000_030); // 30 us carried
    // 2^31 + 85 us more: (2,147,483,648 + 85 + 30) / 100 = 21,474,837.63 credits
    meter.burn(0, 5_000_030 + 2 ** 31 + 85);
    expect(credit[0]).toBe(-21_474_837);
    meter.burn(0, 5_000_030 + 2 ** 31 + 122); // 37 + 63 carried = 100 us
    expect(credit[0]).toBe(-21_474_838);
  });
});
