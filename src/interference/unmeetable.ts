import type { Host } from "../model/cluster.js";
import { HostState } from "./host-state.js";
import { newPrediction, type HostModel, type Predictor, type Victim } from "./predictor.js";
import type { VmProfile } from "./profile.js";
import { bumpUnmetEpoch, hasSlo } from "./victim-rows.js";

/**
 * markUnmeetable sets each victim's unmetSlos and estimateSlos from the SLOs its bound breaks even
 * alone on an idle host of every kind among `hosts`. No placement meets those by the bound
 * (refusing every host would leave the VM out, and a host holding it would refuse everyone after
 * it), so the placer's checks judge them by the estimate where some kind meets them so
 * (estimateSlos: skipping them let a plan put a 5 ms SLO, bound-unmeetable only because its
 * outside-range reasons widened it, beside an estimate of 10.7 ms), and skip them where even the
 * estimate breaks alone (unmetSlos); score and plans still report the VM at risk. An SLO some
 * kind meets by the bound stays a bound constraint, so the VM goes to such a kind. Cost: one
 * prediction per victim and kind.
 */
export function markUnmeetable(profiles: readonly VmProfile[], victims: readonly (Victim | undefined)[], hosts: readonly Host[], predictor: Predictor): void {
  markUnmeetableOn(emptyKinds(hosts, predictor), profiles, victims);
}

/**
 * emptyKinds: one idle HostState per kind of host (core, cores, driver domain) among `hosts`, the
 * reference hosts of markUnmeetableOn. A caller that marks VM after VM on the same fleet (the
 * API's candidate slot, once per request) builds them once: resolving the kind of every host type
 * and a HostState per kind was a seventh of judging a new VM shape at 1,000 hosts.
 */
export function emptyKinds(hosts: readonly Host[], predictor: Predictor): HostState[] {
  const kinds = new Map<HostModel, HostState>();
  for (const h of hosts) {
    const m = predictor.hostModel(h);
    if (!kinds.has(m)) kinds.set(m, new HostState(h, predictor));
  }
  return [...kinds.values()];
}

/** markUnmeetableOn is markUnmeetable against idle hosts of the kinds given (emptyKinds; left idle). */
export function markUnmeetableOn(kinds: readonly HostState[], profiles: readonly VmProfile[], victims: readonly (Victim | undefined)[]): void {
  const out = newPrediction();
  victims.forEach((v, j) => {
    if (!v || !hasSlo(v)) return;
    let bound = 3;
    let estimate = 3;
    for (const empty of kinds) {
      const pr = empty.predictVictim(v, out, profiles[j], true);
      bound &= (pr.boundUs[0] > v.sloUs[0] ? 1 : 0) | (pr.boundUs[1] > v.sloUs[1] ? 2 : 0);
      estimate &= (pr.estimateUs[0] > v.sloUs[0] ? 1 : 0) | (pr.estimateUs[1] > v.sloUs[1] ? 2 : 0);
    }
    // An estimate above the SLO alone everywhere has a bound above it too (the bound is at least the estimate).
    v.unmetSlos = kinds.length > 0 ? bound & estimate : 0;
    v.estimateSlos = kinds.length > 0 ? bound & ~estimate : 0;
  });
  bumpUnmetEpoch();
}
