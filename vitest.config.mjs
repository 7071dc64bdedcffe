import { defineConfig } from "vitest/config";

// Why a longer default timeout: tests that plan, simulate or spawn the CLI take 1-4 s on an idle
// 2-core machine and 8-11 s when it is shared, so vitest's 5 s default failed them at random.
// A timeout here guards against hangs, not speed (speed is checked by `npm run bench`).
export default defineConfig({
  test: { testTimeout: 30_000, hookTimeout: 30_000 },
});
