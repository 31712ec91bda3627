/**
 * Live events for subscriptions. With a Redis URL they travel through Redis pub/sub, so a change
 * made on one API instance reaches subscribers on every instance; without one they stay in-process.
 */
import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import { createPubSub } from "graphql-yoga";
import { Redis } from "ioredis";

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

export interface KamEvents {
  transport: "redis" | "in-process";
  publishScoreChanged(events: readonly ScoreChangedEvent[]): void;
  scoreChanged(): AsyncIterable<ScoreChangedEvent>;
  /** Resolves once this instance listens on Redis (at once in-process). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function createEvents(options: { redisUrl?: string; channel: string }): KamEvents {
  const topic = `${options.channel}:scoreChanged`;
  if (!options.redisUrl) {
    const pubsub = createPubSub<Record<string, [ScoreChangedEvent]>>();
    return {
      transport: "in-process",
      publishScoreChanged: (events) => {
        for (const event of events) pubsub.publish(topic, event);
      },
      scoreChanged: () => pubsub.subscribe(topic),
      ready: async () => {},
      close: async () => {},
    };
  }
  const publishClient = new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const subscribeClient = new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const pubsub = createPubSub<Record<string, [ScoreChangedEvent]>>({
    eventTarget: createRedisEventTarget({ publishClient, subscribeClient }),
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
    scoreChanged: () => pubsub.subscribe(topic),
    ready: async () => {
      await Promise.all([connected(publishClient), connected(subscribeClient)]);
    },
    close: async () => {
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
  };
}
