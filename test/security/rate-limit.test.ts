import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type KamApp } from "../../api/app.ts";
import { loadConfig } from "../../api/config.ts";
import { createTestApp, type TestApp, testTokenSecret } from "../support/app.ts";
import { reachable } from "../support/network.ts";

/** Requests per principal: 429 with Retry-After past the budget, one budget across instances. */

const redisUrl = process.env.KAM_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const hasRedis = await reachable(redisUrl, 6379);
if (!hasRedis) {
  if (process.env.CI === "true") throw new Error(`CI=true but Redis is not reachable at ${redisUrl}.`);
  console.log(`Redis is not reachable at ${redisUrl}: skipping the shared rate-limit test.`);
}

const viewerQuery = JSON.stringify({ query: "{ viewer { id } }" });

async function send(app: KamApp, token: string) {
  const response = await app.yoga.fetch("http://kam.test/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: viewerQuery,
  });
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    body: (await response.json()) as any,
  };
}

describe("rate limits per principal", () => {
  let app: TestApp;

  beforeAll(async () => {
    // Two a minute, and one more: windows long enough that a slow run cannot slip into the next.
    app = await createTestApp({
      KAM_RATE_LIMIT_REQUESTS: "2",
      KAM_RATE_LIMIT_WINDOW_SECONDS: "60",
      KAM_RATE_LIMIT_BURST: "1",
    });
  });
  afterAll(() => app.close());

  it("answers 429 with Retry-After past the budget, runs nothing, and leaves other principals alone", async () => {
    const first = await app.createUser("VIEWER");
    const other = await app.createUser("VIEWER");
    const statuses = [];
    for (let index = 0; index < 4; index += 1) statuses.push(await send(app, first.token));
    expect(statuses.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
    const refused = statuses[3]!;
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors[0].extensions).toMatchObject({
      code: "RATE_LIMITED",
      retryAfterSeconds: Number(refused.retryAfter),
    });
    expect((await send(app, other.token)).status).toBe(200);
  });

  it("counts an API key apart from the people", async () => {
    const key = await app.createKey(["read"]);
    const answers = [];
    for (let index = 0; index < 4; index += 1) answers.push((await send(app, key.secret)).status);
    expect(answers).toEqual([200, 200, 200, 429]);
  });
});

describe.skipIf(!hasRedis)("rate limits across instances", () => {
  const instances: KamApp[] = [];

  beforeAll(async () => {
    const channel = `kam-rate-${randomBytes(4).toString("hex")}`;
    const base = await createTestApp();
    instances.push(base);
    for (let index = 0; index < 2; index += 1) {
      instances.push(
        createApp(
          loadConfig({
            DATABASE_URL: base.config.databaseUrl,
            KAM_TOKEN_SECRET: testTokenSecret,
            KAM_DATA_DIR: base.config.dataDir,
            KAM_REDIS_URL: redisUrl,
            KAM_EVENTS_CHANNEL: channel,
            KAM_RATE_LIMIT_REQUESTS: "2",
            KAM_RATE_LIMIT_WINDOW_SECONDS: "60",
            KAM_RATE_LIMIT_BURST: "1",
          }),
        ),
      );
    }
    await Promise.all(instances.map((instance) => instance.events.ready()));
  });
  afterAll(async () => {
    for (const instance of instances.reverse()) await instance.close();
  });

  it("spends one budget: what one instance allowed, the other counts", async () => {
    const [base, a, b] = instances as [TestApp, KamApp, KamApp];
    const user = await base.createUser("VIEWER");
    const answers = [
      (await send(a, user.token)).status,
      (await send(b, user.token)).status,
      (await send(a, user.token)).status,
      (await send(b, user.token)).status,
    ];
    expect(answers).toEqual([200, 200, 200, 429]);
  });
});
