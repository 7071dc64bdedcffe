import { describe, expect, test } from "vitest";
import type { HostSimResult } from "../../src/model/scenario.js";
import { ScenarioSchema } from "../../src/model/scenario.js";
import { decodeResult, encodeResult } from "../../src/runtime/sim-codec.js";
import { jobIdFor } from "../../src/runtime/sim-queue.js";
import { redactUrl } from "../../src/runtime/redis-url.js";

const scenario = (seed: number) =>
  ScenarioSchema.parse({ host: { id: "h1", cores: 2, memoryMiB: 4096 }, vms: [{ id: "io", vcpus: 1, memoryMiB: 512, workload: { kind: "io", requestsPerSec: 500, serviceUs: 80 } }], durationMs: 500, seed });

describe("queue job ids", () => {
  test("are the same for the same payload and differ when the seed, the host or the simulator build differs", () => {
    const id = jobIdFor({ v: "build-a", job: { scenario: scenario(1) } });
    expect(jobIdFor({ v: "build-a", job: { scenario: scenario(1) } })).toBe(id);
    expect(jobIdFor({ v: "build-a", job: { scenario: scenario(2) } })).not.toBe(id);
    expect(jobIdFor({ v: "build-b", job: { scenario: scenario(1) } })).not.toBe(id);
    expect(jobIdFor({ v: "build-a", job: { scenario: { ...scenario(1), host: { ...scenario(1).host, id: "h2" } } } })).not.toBe(id);
    // BullMQ refuses integer-like custom ids.
    expect(id).toMatch(/^sim-[0-9a-f]{40}$/);
  });
});

describe("result codec", () => {
  test("keeps -0, NaN and the infinities, which plain JSON turns into 0 and null", () => {
    const r = { hostId: "h1", utilisation: -0, contextSwitchesPerSec: NaN, measuredUs: Infinity, seed: -Infinity, vms: [{ id: "a", cpuShare: 0.25 }] } as unknown as HostSimResult;
    const back = decodeResult(encodeResult(r));
    expect(Object.is(back.utilisation, -0)).toBe(true);
    expect(back.contextSwitchesPerSec).toBeNaN();
    expect(back.measuredUs).toBe(Infinity);
    expect(back.seed).toBe(-Infinity);
    expect(back).toEqual(r);
  });
});

test("redactUrl hides the password of a Redis URL", () => {
  expect(redactUrl("redis://:s3cret@cache:6379/2")).toBe("redis://:***@cache:6379/2");
  expect(redactUrl("redis://127.0.0.1:6379")).toBe("redis://127.0.0.1:6379");
});
