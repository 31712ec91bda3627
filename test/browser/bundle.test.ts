import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { budgetBytes } from "../../widgets/budget.ts";
import { chromiumAvailable, launchChromium } from "./support/chromium.ts";
import { type KamProcess, startKamProcess } from "./support/kam-process.ts";

/** The bundle as an intranet page gets it: served by the API, loaded by one script tag. */

const build = () =>
  JSON.parse(readFileSync(new URL("../../widgets/dist/build.json", import.meta.url), "utf8")) as {
    versioned: string;
    gzipped: number;
    locales: Record<string, { file: string; gzipped: number }>;
    pageLoad: number;
  };

describe.skipIf(!chromiumAvailable())("the widget bundle", () => {
  let kam: KamProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [kam, browser] = await Promise.all([startKamProcess(), launchChromium()]);
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await kam?.stop();
  });

  it("stays within its budget with the largest language a page may load", () => {
    const { gzipped, locales, pageLoad } = build();
    expect(gzipped).toBeGreaterThan(1_000);
    expect(Object.keys(locales).sort()).toEqual(["es", "fr", "pt", "ru", "th"]);
    const largest = Math.max(...Object.values(locales).map((locale) => locale.gzipped));
    expect(largest).toBeGreaterThan(500);
    expect(pageLoad).toBe(gzipped + largest);
    expect(pageLoad).toBeLessThanOrEqual(budgetBytes);
  });

  it("is sent compressed to a browser that accepts it (brotli first, gzip else), the same bytes unpacked", async () => {
    const { versioned, gzipped } = build();
    const plain = readFileSync(new URL(`../../widgets/dist/${versioned}`, import.meta.url));
    for (const [accepted, encoding] of [
      ["br, gzip", "br"],
      ["gzip", "gzip"],
    ] as const) {
      const response = await fetch(`${kam.origin}/widgets/${versioned}`, {
        headers: { "accept-encoding": accepted },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-encoding")).toBe(encoding);
      expect(response.headers.get("vary")).toMatch(/accept-encoding/i);
      const sent = Number(response.headers.get("content-length"));
      expect(sent).toBeLessThanOrEqual(gzipped);
      // fetch unpacks the body: it is the bundle, byte for byte.
      expect(Buffer.from(await response.arrayBuffer()).equals(plain)).toBe(true);
    }
  });

  it("fetches a language only when a widget speaks it, from a file cached for good", async () => {
    const fetched: string[] = [];
    const languagePage = await browser.newPage();
    languagePage.on("request", (request) => fetched.push(new URL(request.url()).pathname));
    await languagePage.goto(`${kam.origin}/widgets/demo/`);
    await languagePage.waitForFunction(
      () => document.querySelector("kam-segment-grid")?.shadowRoot?.querySelector("button") != null,
    );
    const french = build().locales.fr?.file.slice(2) as string;
    await languagePage.evaluate(() => document.documentElement.setAttribute("lang", "fr"));
    await languagePage.waitForFunction(() => {
      const grid = document.querySelector("kam-segment-grid");
      return grid?.shadowRoot?.querySelector("button")?.textContent?.trim() === "Réessayer";
    });
    const languageFiles = fetched.filter((url) => url.includes("/widgets/locales/"));
    expect(languageFiles).toEqual([`/widgets/${french}`]);
    const response = await fetch(`${kam.origin}/widgets/${french}`);
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    await languagePage.close();
  });

  it("keeps its language when a language file cannot be fetched", async () => {
    const blocked = await browser.newPage();
    await blocked.route("**/widgets/locales/ru-*.js", (route) => route.abort());
    await blocked.goto(`${kam.origin}/widgets/demo/`);
    await blocked.waitForFunction(
      () => document.querySelector("kam-segment-grid")?.shadowRoot?.querySelector("button") != null,
    );
    const errors: string[] = [];
    blocked.on("pageerror", (error) => errors.push(error.message));
    const failed = blocked.waitForEvent("requestfailed", (request) => request.url().includes("/locales/ru-"));
    await blocked.evaluate(() => document.documentElement.setAttribute("lang", "ru"));
    await failed;
    const title = () =>
      blocked.evaluate(() =>
        document.querySelector("kam-segment-grid")?.shadowRoot?.querySelector("button")?.textContent?.trim(),
      );
    await expect.poll(title).toBe("Try again");
    await blocked.evaluate(() => document.documentElement.setAttribute("lang", "es"));
    await blocked.waitForFunction(() => {
      const grid = document.querySelector("kam-segment-grid");
      return grid?.shadowRoot?.querySelector("button")?.textContent?.trim() === "Reintentar";
    });
    expect(errors).toEqual([]);
    await blocked.close();
  });

  it("is served revalidated under its name and immutable under its versioned name, to any origin", async () => {
    const plain = await fetch(`${kam.origin}/widgets/kam-widgets.js`);
    expect(plain.status).toBe(200);
    expect(plain.headers.get("content-type")).toMatch(/javascript/);
    expect(plain.headers.get("cache-control")).toBe("no-cache");
    expect(plain.headers.get("etag")).toBeTruthy();
    expect(plain.headers.get("access-control-allow-origin")).toBe("*");
    const versioned = await fetch(`${kam.origin}/widgets/${build().versioned}`);
    expect(versioned.status).toBe(200);
    expect(versioned.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await versioned.text()).toBe(await plain.text());
    const manifest = (await (await fetch(`${kam.origin}/widgets/custom-elements.json`)).json()) as any;
    const tags = manifest.modules.flatMap((module: any) =>
      (module.declarations ?? []).filter((d: any) => d.customElement && d.tagName).map((d: any) => d.tagName),
    );
    expect(tags).toContain("kam-provider");
  });

  it("can be loaded twice on one page, and a second copy too, without an error", async () => {
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${kam.origin}/widgets/demo/`);
    const before = await page.evaluate(() => Object.keys(window));
    await page.addScriptTag({ type: "module", url: `${kam.origin}/widgets/kam-widgets.js` });
    await page.addScriptTag({ type: "module", url: `${kam.origin}/widgets/kam-widgets.js?again` });
    await page.addScriptTag({ type: "module", url: `${kam.origin}/widgets/${build().versioned}` });
    await page.waitForFunction(() => customElements.get("kam-provider") !== undefined);
    expect(errors).toEqual([]);
    // Nothing written to window but Lit's own registries of the Lit versions on the page.
    const litRegistries = [
      "litElementVersions",
      "litHtmlVersions",
      "litPropertyMetadata",
      "reactiveElementVersions",
    ];
    const added = (await page.evaluate(() => Object.keys(window))).filter((key) => !before.includes(key));
    expect(added.filter((key) => !litRegistries.includes(key))).toEqual([]);
  });
});
