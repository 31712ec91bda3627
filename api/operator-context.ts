/**
 * The services' context outside a request: operator commands, the seeds, benchmarks. It acts as
 * nobody (audit entries name the system) unless given a principal, reads the system clock unless
 * given another, and publishes live events to this process only, where nobody listens.
 */
import type { Principal } from "./auth/principal.ts";
import { type Clock, systemClock } from "./clock.ts";
import type { Database } from "./db/index.ts";
import { createEvents, type KamEvents } from "./events.ts";
import type { ServiceContext, SystemContext } from "./services/context.ts";

let processEvents: KamEvents | undefined;

export function operatorContext(db: Database, clock: Clock = systemClock): SystemContext {
  processEvents ??= createEvents({ channel: "kam-operator" });
  return { db, principal: null, clock, events: processEvents };
}

/** The same context, acting as `principal`. */
export function actingAs(context: SystemContext, principal: Principal): ServiceContext {
  return { ...context, principal };
}
