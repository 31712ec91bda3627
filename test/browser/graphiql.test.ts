import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app.ts";
import {
  chromiumAvailable,
  confineToOrigin,
  launchChromium,
  listen,
  type RequestLog,
} from "./support/chromium.ts";

/** GraphiQL as a person on an intranet without internet access sees it: served by the API alone. */

const screenshot = path.join(tmpdir(), "graphiql.png");

/** The text of a Monaco editor as it is displayed (Monaco renders spaces as no-break spaces). */
async function editorText(editor: Locator): Promise<string> {
  return (await editor.locator(".view-lines").innerText()).replaceAll("\u00a0", " ");
}

/** Replaces an editor's text by typing it, as a person would. */
async function typeInto(page: Page, editor: Locator, text: string) {
  await editor.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.type(text);
}

describe.skipIf(!chromiumAvailable())("GraphiQL in Chromium", () => {
  let app: TestApp;
  let origin: string;
  let admin: { token: string };
  let browser: Browser | undefined;
  let page: Page;
  let log: RequestLog;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    app = await createTestApp();
    admin = await app.createUser("ADMIN");
    origin = await listen(app);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(15_000);
    log = await confineToOrigin(context, origin);
    page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    // The page runs under the server's content security policy: nothing it needs may be refused.
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  }, 30_000);

  it("renders, and runs a query with the token typed into the headers tab", async () => {
    await page.goto(`${origin}/graphql`, { waitUntil: "load" });
    expect(await page.title()).toBe("KAM GraphiQL");

    const queryEditor = page.locator(".graphiql-query-editor .monaco-editor");
    await queryEditor.waitFor({ state: "visible" });

    await page.getByRole("button", { name: "Headers", exact: true }).click();
    const headersEditor = page
      .getByRole("region", { name: "Headers" })
      .locator(".monaco-editor")
      .filter({ visible: true });
    await headersEditor.waitFor({ state: "visible" });
    await expect.poll(() => editorText(headersEditor)).toContain('"Authorization": "Bearer <token from:');

    await typeInto(page, queryEditor, "{ viewer { role } }");
    await expect.poll(() => editorText(queryEditor)).toBe("{ viewer { role } }");
    await typeInto(page, headersEditor, `{ "Authorization": "Bearer ${admin.token}" }`);
    await expect.poll(() => editorText(headersEditor)).toBe(`{ "Authorization": "Bearer ${admin.token}" }`);

    await queryEditor.click();
    await page.keyboard.press("Control+Enter");

    const result = page.locator(".graphiql-response .monaco-editor");
    await expect
      .poll(() => editorText(result), { timeout: 15_000 })
      .toMatch(/"viewer":\s*\{\s*"role":\s*"ADMIN"\s*\}/);
    expect(await editorText(result)).not.toContain('"errors"');

    await page.screenshot({ path: screenshot });
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it("loads nothing from outside the API's origin", () => {
    expect(log.blocked).toEqual([]);
    expect(log.requests).toContain(`GET ${origin}/graphql`);
    expect(log.requests).toContain(`POST ${origin}/graphql`);
    for (const request of log.requests) {
      const url = request.slice(request.indexOf(" ") + 1);
      expect(new URL(url).origin, request).toBe(origin);
    }
  });
});
