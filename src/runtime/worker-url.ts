/**
 * compiledWorkerUrl finds a worker script beside the calling module (pass its import.meta.url).
 * Under vitest the sources are .ts and a worker thread cannot load them, so it points at the
 * compiled twin that `npm test` builds into dist/ first; from dist/ it is the file itself.
 */
export function compiledWorkerUrl(file: string, callerUrl: string): URL {
  const here = new URL(`./${file}`, callerUrl);
  if (!callerUrl.endsWith(".ts") || here.href.includes("/dist/src/")) return here;
  // The last /src/ is the package's own (a checkout may itself live under some other src/).
  const at = here.href.lastIndexOf("/src/");
  return new URL(`${here.href.slice(0, at)}/dist${here.href.slice(at)}`);
}
