import { createServer, type Server } from "node:http";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/network.ts";
import { chromiumAvailable, launchChromium } from "./support/chromium.ts";
import { type KamProcess, startKamProcess } from "./support/kam-process.ts";

/**
 * The widgets pasted into a page of another origin, as an intranet embeds them: one script tag
 * pointing at the KAM server, a provider with its endpoint and token, and KAM_CORS_ORIGINS.
 */

function intranetPage(api: string, token: string, externalId: string) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Wiki</title>
<script type="module" src="${api}/widgets/kam-widgets.js"></script></head>
<body><main><h1>Team wiki</h1>
<kam-provider endpoint="${api}/graphql" token="${token}">
<kam-segment-grid></kam-segment-grid>
<aside><kam-dossier-card external-id="${externalId}"></kam-dossier-card></aside>
</kam-provider>
</main></body></html>`;
}

describe.skipIf(!chromiumAvailable())("the widgets on another origin", () => {
  let allowed: KamProcess;
  let refused: KamProcess;
  let intranet: Server;
  let intranetOrigin: string;
  let browser: Browser;
  const pages = new Map<string, string>();
  let account: { name: string; externalId: string };

  beforeAll(async () => {
    const port = await freePort();
    intranetOrigin = `http://127.0.0.1:${port}`;
    intranet = createServer((request, response) => {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(pages.get(request.url ?? "/") ?? "");
    });
    await new Promise<void>((resolve) => intranet.listen(port, "127.0.0.1", resolve));
    [allowed, refused, browser] = await Promise.all([
      startKamProcess({ KAM_CORS_ORIGINS: intranetOrigin }),
      startKamProcess(),
      launchChromium(),
    ]);
    const viewer = await allowed.tokenFor("viewer@demo.kam");
    const first = await allowed.gql(
      "{ accounts(first: 1) { edges { node { name externalId } } } }",
      {},
      viewer,
    );
    account = first.accounts.edges[0].node;
    pages.set("/allowed", intranetPage(allowed.origin, viewer, account.externalId));
    pages.set(
      "/refused",
      intranetPage(refused.origin, await refused.tokenFor("viewer@demo.kam"), account.externalId),
    );
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([allowed?.stop(), refused?.stop()]);
    await new Promise((resolve) => intranet?.close(resolve));
  });

  it("work when the page's origin is allowed", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${intranetOrigin}/allowed`);
    await expect
      .poll(() => page.locator("kam-segment-grid [data-cell]").count(), { timeout: 15_000 })
      .toBe(9);
    const matrix = await allowed.gql(
      "{ segmentMatrix { cells { abc xyz accountCount } } }",
      {},
      await allowed.tokenFor("viewer@demo.kam"),
    );
    const ax = matrix.segmentMatrix.cells.find((cell: any) => cell.abc === "A" && cell.xyz === "X");
    const text = await page.locator('kam-segment-grid [data-cell="AX"] .count').innerText();
    expect(Number(text.replace(/\D/g, ""))).toBe(ax.accountCount);
    const name = page.locator("kam-dossier-card #name");
    await expect.poll(() => name.count(), { timeout: 15_000 }).toBe(1);
    expect(await name.innerText()).toBe(account.name);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("say they cannot reach KAM when the origin is not allowed", async () => {
    const page = await browser.newPage();
    await page.goto(`${intranetOrigin}/refused`);
    const state = page.locator('kam-segment-grid [data-kind="error"]');
    await expect.poll(() => state.count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator("kam-segment-grid [data-cell]").count()).toBe(0);
    await expect.poll(() => page.locator('kam-dossier-card [data-kind="error"]').count()).toBe(1);
    await page.close();
  });
});
