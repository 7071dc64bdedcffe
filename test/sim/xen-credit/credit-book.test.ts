import { describe, expect, test } from "vitest";
import { PRI_OVER, PRI_UNDER } from "../../../src/sim/schedulers/xen-credit/constants.js";
import { CreditBook, type CreditBookConfig } from "../../../src/sim/schedulers/xen-credit/credit-book.js";

// csched_acct against hand arithmetic (shared/reference/sim-fidelity.md 1.3). Each vCPU here is
// its own domain unless vcpuDomain says otherwise.

function book(over: Partial<CreditBookConfig> & Pick<CreditBookConfig, "domainWeight">): CreditBook {
  const nDom = over.domainWeight.length;
  return new CreditBook({
    nCpus: 1,
    creditsPerTslice: 300,
    weightPer: "vcpu",
    inactiveCredit: "halve",
    vcpuDomain: Array.from({ length: nDom }, (_, d) => d),
    domainCapPercent: new Array<number>(nDom).fill(0),
    ...over,
  });
}

/** activateInOrder activates vCPUs so that the list reads `order` (each activation goes to the head). */
function activateInOrder(b: CreditBook, order: number[]): void {
  for (const v of [...order].reverse()) b.activate(v);
}

describe("csched_acct arithmetic", () => {
  test("E1-A shares: 300 credits split 256/512/1024 with ceil", () => {
    const b = book({ domainWeight: [256, 512, 1024] });
    activateInOrder(b, [0, 1, 2]);
    b.account();
    // ceil(300*256/1792) = 43, ceil(300*512/1792) = 86, ceil(300*1024/1792) = 172
    expect(Array.from(b.credit)).toEqual([43, 86, 172]);
    expect(b.weightTotal).toBe(1792);
  });

  test("E1-B peak clamp: the saturated heavy domain first keeps its peak and spills 100 to the rest", () => {
    const b = book({ nCpus: 2, domainWeight: [1024, 256, 256] });
    activateInOrder(b, [0, 1, 2]);
    b.account();
    // A: fair ceil(600*1024/1536) = 400 > peak 300; total += ceil(100*1536/512) = 300 -> 900.
    // B, C: ceil(900*256/1536) = 150 each. So 1.00 / 0.50 / 0.50 pCPU.
    expect(Array.from(b.credit)).toEqual([300, 150, 150]);
    expect(b.activeDomains()).toEqual([0, 1, 2]);
  });

  test("E1-B surplus order: a saturated domain behind an unsaturated one feeds only later ones, then moves to the head", () => {
    const b = book({ nCpus: 2, domainWeight: [1024, 256, 256] });
    activateInOrder(b, [1, 0, 2]);
    b.account();
    // B: ceil(600*256/1536) = 100 (< peak). A: 400 > 300, total += ceil(100*1536/256) = 600 -> 1200,
    // and A moves to the head. C: ceil(1200*256/1536) = 200.
    expect(Array.from(b.credit)).toEqual([300, 100, 200]);
    expect(b.activeDomains()).toEqual([0, 1, 2]);
    b.credit.fill(0);
    b.account();
    expect(Array.from(b.credit)).toEqual([300, 150, 150]);
  });

  test("E1-C weightPer vcpu gives a 2-vCPU domain twice a 1-vCPU one; domain gives 1:1", () => {
    const cfg = { domainWeight: [256, 256], vcpuDomain: [0, 0, 1] };
    const perVcpu = book({ ...cfg, weightPer: "vcpu" });
    activateInOrder(perVcpu, [0, 1, 2]);
    perVcpu.account();
    // weight_total 768: domain 0 ceil(300*512/768) = 200 -> 100 per vCPU; domain 1: 100.
    expect(Array.from(perVcpu.credit)).toEqual([100, 100, 100]);
    const perDomain = book({ ...cfg, weightPer: "domain" });
    activateInOrder(perDomain, [0, 1, 2]);
    perDomain.account();
    // weight_total 512: domain 0 ceil(300*256/512) = 150 -> 75 per vCPU; domain 1: 150.
    expect(Array.from(perDomain.credit)).toEqual([75, 75, 150]);
  });

  test("OVER below zero, clamp at -300, UNDER at zero", () => {
    const b = book({ domainWeight: [256, 256] });
    activateInOrder(b, [0, 1]);
    b.credit.set([-500, -150]);
    b.account();
    // +150 each: -350 -> clamped to -300 (OVER); -150 + 150 = 0 -> UNDER.
    expect(Array.from(b.credit)).toEqual([-300, 0]);
    expect(Array.from(b.pri)).toEqual([PRI_OVER, PRI_UNDER]);
  });

  test("above one slice of credit a vCPU leaves the active list with half (or none) of it", () => {
    for (const [mode, kept] of [["halve", 175], ["zero", 0]] as const) {
      const b = book({ domainWeight: [256, 256], inactiveCredit: mode });
      activateInOrder(b, [0, 1]);
      b.credit.set([200, 0]);
      b.account();
      // 200 + 150 = 350 > 300: dropped, 350 / 2 = 175 (or 0); it leaves the weight total.
      expect(b.credit[0]).toBe(kept);
      expect(b.active[0]).toBe(0);
      expect(b.weightTotal).toBe(256);
      expect(b.activeDomains()).toEqual([1]);
    }
  });

  test("a negative balance is paid back next period, in the total and in each peak", () => {
    const b = book({ domainWeight: [256, 256] });
    activateInOrder(b, [0, 1]);
    b.credit.set([-200, -100]);
    b.account();
    // -200 + 150 = -50, -100 + 150 = 50: balance 0. Then make it -100:
    expect(b.creditBalance).toBe(0);
    b.credit.set([-250, 50]);
    b.creditBalance = -100;
    b.account();
    // total 300 + 100 = 400, 200 each (peak 300 + ceil(100*256/512) = 350 not binding).
    expect(Array.from(b.credit)).toEqual([-50, 250]);
    expect(b.creditBalance).toBe(200);
  });

  test("cap 10%: 30 credits per period, parked below -30, unparked at >= 0 (E2 cycle)", () => {
    const b = book({ domainWeight: [256], domainCapPercent: [10] });
    b.activate(0);
    b.credit[0] = -240; // after one 30 ms period ON from ~0 with 30 earned: 30 - 300 + 30
    b.account();
    expect(b.credit[0]).toBe(-210);
    expect([b.parked[0], b.parkedNowCount, b.parkedNow[0]]).toEqual([1, 1, 0]);
    // Debt 210 at 30 per period: 7 more periods, no second park event.
    for (let i = 0; i < 6; i++) {
      b.account();
      expect([b.parked[0], b.parkedNowCount, b.pri[0]]).toEqual([1, 0, PRI_OVER]);
    }
    b.account();
    expect([b.credit[0], b.parked[0], b.unparkedNowCount, b.pri[0]]).toEqual([0, 0, 1, PRI_UNDER]);
  });

  test("cap 50% with two vCPUs: peak 150, park threshold ceil(150/2) = 75 per vCPU", () => {
    const b = book({ domainWeight: [256], domainCapPercent: [50], vcpuDomain: [0, 0] });
    activateInOrder(b, [0, 1]);
    b.credit.set([-150, -160]);
    b.account();
    // fair = min(300, 600, 150) = 150 -> 75 each: -75 (not below -75), -85 (parked).
    expect(Array.from(b.credit)).toEqual([-75, -85]);
    expect(Array.from(b.parked)).toEqual([0, 1]);
  });

  test("no active vCPU: nothing is handed out and the balance resets", () => {
    const b = book({ domainWeight: [256] });
    b.creditBalance = -50;
    b.account();
    expect([b.credit[0], b.creditBalance]).toEqual([0, 0]);
  });
});
