import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { type Browser, type BrowserContext, chromium } from "playwright-core";
import type { TestApp } from "../../support/app.ts";

/** Debian's Chromium (`apt-get install chromium`); no browser is ever downloaded. */
export const chromiumPath = "/usr/bin/chromium";

/**
 * Whether the browser tests can run. Without Chromium they are skipped with a message, except
 * under CI=true, where a missing browser fails the run instead of hiding the tests.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(chromiumPath)) return true;
  const reason = `${chromiumPath} is missing (apt-get install chromium)`;
  if (process.env.CI === "true") throw new Error(`CI=true but ${reason}: the browser tests must run in CI.`);
  console.warn(`Skipping the browser tests: ${reason}.`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    timeout: 30_000,
  });
}

/** Starts the app's real HTTP server on a free port of the loopback interface; returns its origin. */
export async function listen(app: TestApp): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    app.server.once("error", reject);
    app.server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export interface RequestLog {
  /** Every request the pages of the context made, in order. */
  requests: string[];
  /** Requests for anything outside the origin, refused before they left the browser. */
  blocked: string[];
}

/**
 * Lets the context reach `origin` only, as on an intranet without internet access, and records
 * every request. `blob:` URLs of the origin (GraphiQL's editor workers) are in-page objects.
 */
export async function confineToOrigin(context: BrowserContext, origin: string): Promise<RequestLog> {
  const log: RequestLog = { requests: [], blocked: [] };
  context.on("request", (request) => {
    log.requests.push(`${request.method()} ${request.url()}`);
  });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    log.blocked.push(url);
    return route.abort("blockedbyclient");
  });
  return log;
}
