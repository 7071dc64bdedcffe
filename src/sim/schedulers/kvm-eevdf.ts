// KVM vCPU threads under Linux EEVDF (6.6+): the rules live in ./kvm-eevdf/ (tunables, the pure
// EEVDF arithmetic, the rules); the two cgroup levels, per-CPU queues, bandwidth, balancing and
// halt-polling are the fair-class machinery in ./kvm-fair/, shared with kvm-cfs.
export { createKvmEevdf, type KvmEevdfOptions } from "./kvm-eevdf/scheduler.js";
export { eevdfTunables, type EevdfTunables } from "./kvm-eevdf/tunables.js";
