/**
 * What every service is called with, first: the database, who acts, "now", and where live events
 * go. The schema's request context is one; operator commands and the seeds build their own
 * (api/operator-context.ts).
 */
import type { Principal } from "../auth/principal.ts";
import type { Clock } from "../clock.ts";
import type { Database } from "../db/index.ts";
import type { KamEvents } from "../events.ts";

export interface ServiceContext<Actor extends Principal | null = Principal> {
  db: Database;
  /** Who acts; a service that checks rights needs one. */
  principal: Actor;
  /** "Now" for every rule and every time a write records. */
  clock: Clock;
  /** Live events, published after writes commit. */
  events: KamEvents;
}

/**
 * For what the system may also do, acting as nobody (operator commands, seeds): audit entries then
 * name the system. Analyses that check no rights take it too.
 */
export type SystemContext = ServiceContext<Principal | null>;
