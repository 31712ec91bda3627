/**
 * Live events for subscriptions. With a Redis URL they travel through Redis pub/sub, so a change
 * made on one API instance reaches subscribers on every instance; without one they stay in-process.
 *
 * Redis is a convenience, not a dependency of the data: while it is down, writes still succeed,
 * their events are dropped (not queued), `status()` says "degraded", and one line is logged when
 * it goes and one when it is back. Subscribers stay connected and receive events again once the
 * connection is restored (ioredis subscribes to the channel again by itself).
 */
import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import { createPubSub, type Repeater } from "graphql-yoga";
import { Redis } from "ioredis";
import { withoutPassword } from "./db/adapters.ts";

/** A score was set, changed or withdrawn. Plain JSON, as it travels through Redis. */
export interface ScoreChangedEvent {
  accountId: string;
  criterionId: string;
  criterionKey: string;
  value: number | null;
  previous: number | null;
  authorLabel: string;
  /** ISO 8601 */
  changedAt: string;
}

export type EventsStatus = "ok" | "degraded";

export interface KamEvents {
  transport: "redis" | "in-process";
  publishScoreChanged(events: readonly ScoreChangedEvent[]): void;
  scoreChanged(): AsyncIterable<ScoreChangedEvent>;
  /** "degraded" while Redis is unreachable: writes go on, live events are dropped. In-process is always "ok". */
  status(): EventsStatus;
  /** Resolves once this instance listens on Redis (at once in-process). */
  ready(): Promise<void>;
  /** Completes every open subscription, so its stream ends cleanly; later ones end at once. */
  endSubscriptions(): void;
  /** Ends the subscriptions and lets go of Redis. */
  close(): Promise<void>;
}

export interface EventsOptions {
  redisUrl?: string;
  channel: string;
  /** Where the outage and recovery lines go; the console by default. */
  log?: { warn(message: string): void; info(message: string): void };
}

/** Keeps every open subscription so that closing can complete them instead of cutting them off. */
function subscriptionRegistry() {
  const open = new Set<Repeater<ScoreChangedEvent>>();
  let ended = false;
  return {
    track(source: Repeater<ScoreChangedEvent>): AsyncIterableIterator<ScoreChangedEvent> {
      if (ended) void source.return();
      else open.add(source);
      const release = () => open.delete(source);
      return {
        next: async () => {
          const result = await source.next();
          if (result.done) release();
          return result;
        },
        return: async (value?: ScoreChangedEvent) => {
          release();
          return source.return(value);
        },
        throw: async (error?: unknown) => {
          release();
          return source.throw(error);
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      };
    },
    /** A finished source answers `done` to the pending and every later `next()`. */
    endAll() {
      ended = true;
      for (const source of open) void source.return();
      open.clear();
    },
  };
}

export function createEvents(options: EventsOptions): KamEvents {
  const topic = `${options.channel}:scoreChanged`;
  const subscriptions = subscriptionRegistry();
  if (!options.redisUrl) {
    const pubsub = createPubSub<Record<string, [ScoreChangedEvent]>>();
    return {
      transport: "in-process",
      publishScoreChanged: (events) => {
        for (const event of events) pubsub.publish(topic, event);
      },
      scoreChanged: () => subscriptions.track(pubsub.subscribe(topic)),
      status: () => "ok",
      ready: async () => {},
      endSubscriptions: () => subscriptions.endAll(),
      close: async () => subscriptions.endAll(),
    };
  }

  const log = options.log ?? {
    warn: (line: string) => console.warn(line),
    info: (line: string) => console.log(line),
  };
  const where = `Redis at ${withoutPassword(options.redisUrl)}`;
  // A publish while Redis is unreachable fails at once instead of waiting in an unbounded offline
  // queue: a live event delivered minutes late is worth less than a server that stays small.
  const publishClient = new Redis(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  // SUBSCRIBE waits for the connection instead, so a subscriber that arrives during an outage
  // starts receiving once Redis is back.
  const subscribeClient = new Redis(options.redisUrl, { maxRetriesPerRequest: null, autoResubscribe: true });
  const clients = [publishClient, subscribeClient];

  let closing = false;
  let reported: "starting" | EventsStatus = "starting";
  let dropped = 0;
  let lastUnexpected = 0;
  const status = (): EventsStatus =>
    clients.every((client) => client.status === "ready") ? "ok" : "degraded";
  // ioredis emits "error" on every reconnection attempt; only a change of state is worth a line.
  const update = (error?: Error) => {
    if (closing) return;
    const now = status();
    if (now === "ok" && reported !== "ok") {
      if (reported === "degraded") {
        const lost = dropped
          ? ` (${dropped} event${dropped === 1 ? "" : "s"} dropped while it was down)`
          : "";
        log.info(`${where} is back: live events resume${lost}.`);
      }
      reported = "ok";
      dropped = 0;
    } else if (now === "degraded" && reported !== "degraded" && error) {
      log.warn(
        `${where} is unreachable (${error.message || error.name}): live events are paused and dropped until it is back; the API keeps serving.`,
      );
      reported = "degraded";
    }
  };
  for (const client of clients) {
    client.on("error", (error: Error) => update(error));
    client.on("ready", () => update());
  }
  const failed = (error: unknown) => {
    if (closing) return;
    dropped += 1;
    // While the connection is down, a drop needs no line of its own: the outage has one (ioredis
    // reports the reason with its next reconnection attempt). Otherwise at most one a minute.
    if (reported === "degraded" || status() === "degraded" || Date.now() - lastUnexpected < 60_000) return;
    lastUnexpected = Date.now();
    log.warn(`${where}: a live event could not be sent (${(error as Error).message}).`);
  };
  // The event target does not handle the promises of these calls, and while Redis is down they
  // reject: without a handler, one rejection would end the process.
  const guarded = (client: Redis) =>
    ({
      on: client.on.bind(client),
      publish: (channel: string, message: string) => client.publish(channel, message).catch(failed),
      subscribe: (channel: string) => client.subscribe(channel).catch(failed),
      unsubscribe: (channel: string) => client.unsubscribe(channel).catch(failed),
    }) as unknown as Redis;
  const pubsub = createPubSub<Record<string, [ScoreChangedEvent]>>({
    eventTarget: createRedisEventTarget({
      publishClient: guarded(publishClient),
      subscribeClient: guarded(subscribeClient),
    }),
  });
  const connected = (client: Redis) =>
    client.status === "ready"
      ? Promise.resolve()
      : new Promise<void>((resolve) => client.once("ready", () => resolve()));
  return {
    transport: "redis",
    publishScoreChanged: (events) => {
      for (const event of events) pubsub.publish(topic, event);
    },
    scoreChanged: () => subscriptions.track(pubsub.subscribe(topic)),
    status,
    ready: async () => {
      await Promise.all(clients.map(connected));
    },
    endSubscriptions: () => subscriptions.endAll(),
    close: async () => {
      subscriptions.endAll();
      closing = true;
      // QUIT lets the last publishes through; a client that is not connected just stops retrying.
      await Promise.allSettled(
        clients.map((client) =>
          client.status === "ready" ? client.quit().catch(() => client.disconnect()) : client.disconnect(),
        ),
      );
    },
  };
}
