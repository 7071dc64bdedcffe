import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
// dist/src/cli and src/cli are both two levels below the package root's package.json.
const pkg = (() => {
  for (const p of ["../../package.json", "../../../package.json"]) {
    try {
      return require(p) as { version: string; name: string };
    } catch {
      /* try the next layout */
    }
  }
  return { version: "0.0.0", name: "vmplace" };
})();

export const VERSION: string = pkg.version;
