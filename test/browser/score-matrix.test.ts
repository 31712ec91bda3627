import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, launchChromium } from "./support/chromium.ts";
import { axeViolations, type KamProcess, startKamProcess } from "./support/kam-process.ts";

/** `<kam-score-matrix>` on a page of the API's origin, against the demo data through /graphql. */

const matrixQuery = `query($first: Int, $orderBy: ScoreMatrixOrder, $filter: AccountFilter, $criteriaSetId: ID, $compareWith: ID) {
  scoreMatrix(first: $first, orderBy: $orderBy, filter: $filter, criteriaSetId: $criteriaSetId) { ... on QueryScoreMatrixSuccess { data {
    totalCount columns { criterion { key label } }
    edges { node { accountName score rank isKeyAccount
      account { id version externalId owner { email } compared: score(criteriaSetId: $compareWith) { rank } }
      cells { value version } } }
  } } }
}`;

describe.skipIf(!chromiumAvailable())("<kam-score-matrix>", () => {
  let kam: KamProcess;
  let browser: Browser;
  let admin: string;

  beforeAll(async () => {
    [kam, browser] = await Promise.all([startKamProcess(), launchChromium()]);
    admin = await kam.tokenFor("admin@demo.kam");
  });
  afterAll(async () => {
    await browser?.close();
    await kam?.stop();
  });

  const matrix = async (variables: Record<string, unknown> = {}) =>
    (await kam.gql(matrixQuery, { first: 20, ...variables }, admin)).scoreMatrix.data;

  async function mount(
    attributes: string,
    options: { lang?: string; rows?: number; withoutLiveUpdates?: boolean } = {},
  ): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // A page that never hears of changes made elsewhere: its live streams are cut from the start.
    if (options.withoutLiveUpdates)
      await page.route("**/graphql", (route) =>
        route.request().headers().accept === "text/event-stream" ? route.abort() : route.continue(),
      );
    // Live streams whose answer has begun: the server has subscribed them.
    page.on("response", (response) => {
      if (response.request().headers().accept === "text/event-stream")
        streams.set(page, (streams.get(page) ?? 0) + 1);
    });
    await page.goto(`${kam.origin}/widgets/demo/`);
    await page.evaluate(
      ({ markup, lang }) => {
        document.documentElement.lang = lang;
        document.body.innerHTML = markup;
        (window as any).kamEvents = [];
        for (const name of ["kam-account-select", "kam-error", "kam-ready", "kam-score-change"]) {
          document.addEventListener(name, (event) =>
            (window as any).kamEvents.push({ name, detail: (event as CustomEvent).detail }),
          );
        }
      },
      {
        markup: `<main><kam-score-matrix ${attributes}></kam-score-matrix></main>`,
        lang: options.lang ?? "en",
      },
    );
    await page.addScriptTag({ type: "module", url: `${kam.origin}/widgets/kam-widgets.js` });
    await expect
      .poll(() => page.locator("kam-score-matrix [data-account]").count(), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(options.rows ?? 5);
    return page;
  }

  const streams = new Map<Page, number>();
  const events = (page: Page) =>
    page.evaluate(() => (window as any).kamEvents as { name: string; detail: any }[]);

  /** Types a score into the active cell's editor and saves it with Enter, once the editor has the focus. */
  async function typeScore(page: Page, value: string) {
    await page.keyboard.press(value);
    await expect
      .poll(() => page.locator("kam-score-matrix #edit-value").evaluate((input) => input.matches(":focus")))
      .toBe(true);
    await page.keyboard.press("Enter");
  }

  /** What the matrix says of the last save ("" until it says something). */
  const notice = (page: Page) =>
    page
      .locator("kam-score-matrix [data-notice]")
      .textContent({ timeout: 1_000 })
      .catch(() => "");

  /** The rows on screen: name, cells, score and rank as written. */
  const shownRows = (page: Page) =>
    page.locator("kam-score-matrix [data-account]").evaluateAll((rows) =>
      rows.map((row) => ({
        id: row.getAttribute("data-account"),
        name: row.querySelector('[role="rowheader"]')?.textContent?.trim(),
        cells: [...row.querySelectorAll("[data-criterion]")].map((cell) => cell.textContent?.trim()),
        score: row.querySelector('[data-total="score"]')?.textContent?.trim(),
        rank: row.querySelector('[data-total="rank"]')?.textContent?.trim(),
      })),
    );

  const asShown = (node: any) => ({
    id: node.account.id,
    name: node.accountName,
    cells: node.cells.map((cell: any) => (cell.value === null ? "–" : String(cell.value))),
    score:
      node.score === null
        ? "–"
        : new Intl.NumberFormat("en", { maximumFractionDigits: 2 }).format(node.score),
    rank: node.rank === null ? "–" : String(node.rank),
  });

  it("shows the same rows, cells, scores and ranks as scoreMatrix, and sorts and filters as it does", async () => {
    const page = await mount(`token="${admin}" page-size="20"`);
    const api = await matrix({ first: 100 });
    const shown = await shownRows(page);
    expect(shown.length).toBeGreaterThan(5);
    expect(shown.length).toBeLessThan(100);
    expect(shown).toEqual(api.edges.slice(0, shown.length).map((edge: any) => asShown(edge.node)));
    expect(await page.locator("kam-score-matrix .matrix").getAttribute("aria-rowcount")).toBe(
      String(api.totalCount + 1),
    );
    // Sort by name, as the API would.
    await page.locator('kam-score-matrix [role="columnheader"] button').first().click();
    const byName = await matrix({ orderBy: { field: "NAME", direction: "ASC" } });
    await expect.poll(async () => (await shownRows(page))[0]?.name).toBe(byName.edges[0].node.accountName);
    // Find an account by part of its name.
    const target = byName.edges[3].node.accountName as string;
    await page.locator('kam-score-matrix input[type="search"]').fill(target);
    await page.locator('kam-score-matrix input[type="search"]').press("Enter");
    await expect.poll(async () => (await shownRows(page)).map((row) => row.name)).toContain(target);
    const filtered = await matrix({ filter: { search: target } });
    await expect.poll(async () => (await shownRows(page)).length).toBe(filtered.edges.length);
    expect(await page.locator("kam-score-matrix [data-rule]").innerText()).toMatch(/Key accounts/);
    await page.close();
  });

  it("a manager scores an account of the team by keyboard alone; it is saved and read back", async () => {
    const api = await matrix({ first: 100 });
    const row = api.edges.find((edge: any) => edge.node.account.owner?.email.startsWith("manager")).node;
    const manager = await kam.tokenFor(row.account.owner.email);
    const page = await mount(`token="${manager}" filter='${JSON.stringify({ search: row.accountName })}'`, {
      rows: 1,
    });
    const grid = page.locator("kam-score-matrix .matrix");
    await grid.focus();
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowRight");
    expect(await grid.getAttribute("aria-activedescendant")).toBe("c-0-1");
    const before = row.cells[0].value;
    const value = before === 3 ? 4 : 3;
    await page.keyboard.press(String(value));
    await expect.poll(() => page.locator("kam-score-matrix #edit-value").inputValue()).toBe(String(value));
    await page.keyboard.press("Enter");
    await expect
      .poll(async () => (await events(page)).filter((e) => e.name === "kam-score-change").length)
      .toBe(1);
    const change = (await events(page)).find((e) => e.name === "kam-score-change")?.detail;
    expect(change).toMatchObject({ accountId: row.account.id, value });
    const after = await matrix({ filter: { search: row.accountName } });
    const saved = after.edges.find((edge: any) => edge.node.account.id === row.account.id).node;
    expect(saved.cells[0]).toMatchObject({ value, version: row.cells[0].version + 1 });
    // Escape cancels an edit and changes nothing.
    await grid.focus();
    await page.keyboard.press("9");
    await expect.poll(() => page.locator("kam-score-matrix #edit-value").count()).toBe(1);
    await page.keyboard.press("Escape");
    await expect.poll(() => page.locator("kam-score-matrix #edit-value").count()).toBe(0);
    const unchanged = await matrix({ filter: { search: row.accountName } });
    expect(
      unchanged.edges.find((edge: any) => edge.node.account.id === row.account.id).node.cells[0].value,
    ).toBe(value);
    await page.close();
  });

  it("a viewer sees the same grid read-only", async () => {
    const viewer = await kam.tokenFor("viewer@demo.kam");
    const page = await mount(`token="${viewer}"`);
    const grid = page.locator("kam-score-matrix .matrix");
    await grid.focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("5");
    await page.keyboard.press("Enter");
    expect(await page.locator("kam-score-matrix #edit-value").count()).toBe(0);
    expect(await page.locator('kam-score-matrix [data-criterion][aria-readonly="false"]').count()).toBe(0);
    await page.close();
  });

  it("takes an edit back with the server's reason when it is refused (the account was archived meanwhile)", async () => {
    const api = await matrix({ first: 100 });
    // Not the account the keyboard test scores: the last one a manager owns.
    const row = api.edges.findLast((edge: any) => edge.node.account.owner?.email.startsWith("manager")).node;
    const page = await mount(
      `token="${admin}" filter='${JSON.stringify({ search: row.account.externalId })}'`,
      {
        rows: 1,
      },
    );
    await expect.poll(async () => (await shownRows(page)).map((shown) => shown.id)).toEqual([row.account.id]);
    const archived = await kam.gql(
      `mutation($input: ArchiveAccountInput!) { archiveAccount(input: $input) { __typename } }`,
      { input: { id: row.account.id, version: row.account.version } },
      admin,
    );
    expect(archived.archiveAccount.__typename).toBe("MutationArchiveAccountSuccess");
    const grid = page.locator("kam-score-matrix .matrix");
    await grid.focus();
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowRight");
    const before = (await shownRows(page))[0]?.cells[0];
    await typeScore(page, before === "2" ? "3" : "2");
    await expect
      .poll(() => notice(page), {
        timeout: 10_000,
      })
      .toMatch(/archived/);
    expect(
      (await events(page)).some((e) => e.name === "kam-error" && e.detail.code === "ACCOUNT_ARCHIVED"),
    ).toBe(true);
    // Nothing changed, and the matrix no longer shows the value refused (the archived account is
    // out of the default filter once the matrix reloads).
    expect((await events(page)).some((e) => e.name === "kam-score-change")).toBe(false);
    await expect.poll(() => page.locator('kam-score-matrix [data-kind="empty"]').count()).toBe(1);
    // The reason stays in view once the matrix is empty.
    expect(await page.locator("kam-score-matrix [data-notice]").textContent()).toMatch(/archived/);
    // The archived account is out of the matrix: its score is read from the account.
    const stored = await kam.gql(
      `query($id: ID!) { account(id: $id) { ... on Account { scores { value criterion { key } } } } }`,
      { id: row.account.id },
      admin,
    );
    const kept = stored.account.scores.find(
      (entry: any) => entry.criterion.key === api.columns[0].criterion.key,
    );
    expect(kept ? String(kept.value) : "–").toBe(before);
    await page.close();
  });

  it("shows a change made elsewhere without a reload", async () => {
    const api = await matrix();
    const row = api.edges[0].node;
    const page = await mount(`token="${admin}" page-size="20"`);
    // The subscription opens for the rows in view.
    await expect.poll(() => streams.get(page) ?? 0).toBeGreaterThan(0);
    const value = row.cells[1].value === 7 ? 8 : 7;
    const key = api.columns[1].criterion.key;
    const set = await kam.gql(
      `mutation($input: ScoreInput!) { setScore(input: $input) { __typename } }`,
      { input: { accountId: row.account.id, criterionKey: key, value } },
      admin,
    );
    expect(set.setScore.__typename).toBe("MutationSetScoreSuccess");
    await expect
      .poll(async () => (await shownRows(page)).find((shown) => shown.id === row.account.id)?.cells[1], {
        timeout: 10_000,
      })
      .toBe(String(value));
    await page.close();
  });

  it("explains a row: contributions add up to the score, and the lift fills the cells to edit", async () => {
    const page = await mount(`token="${admin}"`);
    await page.locator('kam-score-matrix [role="rowheader"]').nth(5).click();
    await expect
      .poll(() => page.locator("kam-score-matrix [data-contributions] li").count())
      .toBeGreaterThan(0);
    expect((await events(page)).some((e) => e.name === "kam-account-select")).toBe(true);
    const apply = page.locator("kam-score-matrix [data-explanation] button", {
      hasText: "Fill in these scores",
    });
    if (await apply.count()) {
      await apply.click();
      expect(await page.locator("kam-score-matrix .draft").count()).toBeGreaterThan(0);
    } else {
      expect(await page.locator("kam-score-matrix [data-explanation]").innerText()).toMatch(/key|suggest/);
    }
    expect(await axeViolations(page, "kam-score-matrix")).toEqual([]);
    await page.close();
  });

  it("exports the rows loaded as CSV in the reader's locale, and speaks French", async () => {
    const page = await mount(`token="${admin}" page-size="20"`, { lang: "fr" });
    await expect.poll(() => page.locator("kam-score-matrix h2").innerText()).toBe("Matrice de scoring");
    const csv = await page
      .locator("kam-score-matrix")
      .evaluate((element: any) => element.exportCsv() as string);
    const lines = csv.split("\r\n");
    expect(lines[0]?.split(";")[0]).toBe("Compte");
    const api = await matrix();
    expect(lines.length - 1).toBeGreaterThanOrEqual(20);
    const first = api.edges[0].node;
    expect(lines[1]?.split(";")[0]).toBe(
      first.accountName.includes(";") ? `"${first.accountName}"` : first.accountName,
    );
    if (first.score !== null && !Number.isInteger(first.score)) expect(lines[1]).toContain(",");
    expect(await axeViolations(page, "kam-score-matrix")).toEqual([]);
    await page.close();
  });

  const choose = (page: Page, selector: string, value: string) =>
    page.locator(`kam-score-matrix ${selector}`).selectOption(value);

  it("filters by class, status and key-account flag as scoreMatrix does", async () => {
    const page = await mount(`token="${admin}" page-size="20"`);
    await choose(page, '[data-filter="abc"]', "A");
    const classA = await matrix({ first: 100, filter: { abc: ["A"] } });
    // The rows on screen are the API's, in its order (however many are rendered).
    const asListed = async (expected: any) => {
      const ids = (await shownRows(page)).map((row) => row.id);
      return ids.length > 0 && ids.every((id, index) => id === expected.edges[index]?.node.account.id);
    };
    await expect.poll(() => asListed(classA)).toBe(true);
    expect(await page.locator("kam-score-matrix .matrix").getAttribute("aria-rowcount")).toBe(
      String(classA.totalCount + 1),
    );
    await choose(page, '[data-filter="abc"]', "");
    await choose(page, '[data-filter="status"]', "AT_RISK");
    await choose(page, '[data-filter="key"]', "true");
    const atRiskKey = await matrix({ first: 100, filter: { status: ["AT_RISK"], isKeyAccount: true } });
    await expect
      .poll(() => page.locator("kam-score-matrix .matrix").getAttribute("aria-rowcount"))
      .toBe(String(atRiskKey.totalCount + 1));
    await expect.poll(() => asListed(atRiskKey)).toBe(true);
    expect(atRiskKey.edges.every((edge: any) => edge.node.isKeyAccount)).toBe(true);
    await page.close();
  });

  it("switches the criteria set, and compares the rank each set gives side by side", async () => {
    const { criteriaSets } = await kam.gql("{ criteriaSets { id name isActive } }", {}, admin);
    const other = criteriaSets.find((set: any) => !set.isActive);
    const active = criteriaSets.find((set: any) => set.isActive);
    expect(other).toBeDefined();
    const page = await mount(`token="${admin}" page-size="20"`);
    await page.locator("kam-score-matrix header select").first().selectOption(other.id);
    const underOther = await matrix({ criteriaSetId: other.id });
    await expect
      .poll(async () => (await shownRows(page)).slice(0, 5))
      .toEqual(underOther.edges.slice(0, 5).map((edge: any) => asShown(edge.node)));
    // Back to the active set, compared with the other one.
    await page.locator("kam-score-matrix header select").first().selectOption(active.id);
    await choose(page, "[data-compare]", other.id);
    const compared = await matrix({ compareWith: other.id });
    const comparedRanks = () =>
      page.locator("kam-score-matrix [data-account]").evaluateAll((rows) =>
        rows.slice(0, 5).map((row) => ({
          id: row.getAttribute("data-account"),
          rank: row.querySelector('[data-total="rank"]')?.textContent?.trim(),
          compared: row.querySelector('[data-total="compared"]')?.textContent?.trim(),
        })),
      );
    await expect.poll(comparedRanks).toEqual(
      compared.edges.slice(0, 5).map((edge: any) => ({
        id: edge.node.account.id,
        rank: edge.node.rank === null ? "–" : String(edge.node.rank),
        compared: edge.node.account.compared?.rank == null ? "–" : String(edge.node.account.compared.rank),
      })),
    );
    expect(
      await page
        .locator('kam-score-matrix [role="columnheader"]', { hasText: `Rank in ${other.name}` })
        .count(),
    ).toBe(1);
    expect(await axeViolations(page, "kam-score-matrix")).toEqual([]);
    await page.close();
  });

  it("refuses a stale edit with a version conflict, then shows the score that won", async () => {
    const api = await matrix({ first: 100 });
    const row = api.edges[10].node;
    const mounted = await mount(
      `token="${admin}" filter='${JSON.stringify({ search: row.account.externalId })}'`,
      { rows: 1, withoutLiveUpdates: true },
    );
    expect(streams.get(mounted) ?? 0, "no live stream reached the server").toBe(0);
    await expect
      .poll(async () => (await shownRows(mounted)).map((shown) => shown.id))
      .toEqual([row.account.id]);
    const elsewhere = row.cells[2].value === 6 ? 5 : 6;
    const set = await kam.gql(
      `mutation($input: ScoreInput!) { setScore(input: $input) { __typename } }`,
      { input: { accountId: row.account.id, criterionKey: api.columns[2].criterion.key, value: elsewhere } },
      admin,
    );
    expect(set.setScore.__typename).toBe("MutationSetScoreSuccess");
    const grid = mounted.locator("kam-score-matrix .matrix");
    await grid.focus();
    await mounted.keyboard.press("Home");
    await mounted.keyboard.press("ArrowRight");
    await mounted.keyboard.press("ArrowRight");
    await mounted.keyboard.press("ArrowRight");
    const mine = elsewhere === 6 ? 4 : 3;
    await typeScore(mounted, String(mine));
    await expect.poll(() => notice(mounted), { timeout: 10_000 }).toMatch(/changed this score meanwhile/);
    expect(
      (await events(mounted)).some((e) => e.name === "kam-error" && e.detail.code === "VERSION_CONFLICT"),
    ).toBe(true);
    await expect.poll(async () => (await shownRows(mounted))[0]?.cells[2]).toBe(String(elsewhere));
    const after = await matrix({ filter: { search: row.account.externalId } });
    expect(after.edges[0].node.cells[2].value).toBe(elsewhere);
    await mounted.close();
  });

  it("takes back a viewer's forced edit with the server's refusal", async () => {
    const viewer = await kam.tokenFor("viewer@demo.kam");
    const api = await matrix({ first: 5 });
    const row = api.edges[0].node;
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // A page that pretends the viewer may edit: the server still decides.
    await page.route("**/graphql", async (route) => {
      const body = route.request().postData() ?? "";
      if (!body.includes("KamScoreMatrix")) return route.continue();
      const response = await route.fetch();
      const text = (await response.text()).replaceAll('"viewerCanEdit":false', '"viewerCanEdit":true');
      return route.fulfill({ response, body: text });
    });
    await page.goto(`${kam.origin}/widgets/demo/`);
    await page.evaluate(
      (markup) => {
        document.body.innerHTML = markup;
        (window as any).kamEvents = [];
        document.addEventListener("kam-error", (event) =>
          (window as any).kamEvents.push({ name: "kam-error", detail: (event as CustomEvent).detail }),
        );
      },
      `<main><kam-score-matrix token="${viewer}" filter='${JSON.stringify({ search: row.account.externalId })}'></kam-score-matrix></main>`,
    );
    await page.addScriptTag({ type: "module", url: `${kam.origin}/widgets/kam-widgets.js` });
    await expect
      .poll(async () => (await shownRows(page)).map((shown) => shown.id), { timeout: 10_000 })
      .toEqual([row.account.id]);
    expect(
      await page.locator('kam-score-matrix [data-criterion][aria-readonly="false"]').count(),
    ).toBeGreaterThan(0);
    const grid = page.locator("kam-score-matrix .matrix");
    await grid.focus();
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowRight");
    const before = row.cells[0].value;
    await typeScore(page, before === 9 ? "8" : "9");
    await expect.poll(() => notice(page), { timeout: 10_000 }).toMatch(/may not change/);
    expect((await events(page)).map((e) => e.detail.code)).toContain("FORBIDDEN");
    await expect
      .poll(async () => (await shownRows(page))[0]?.cells[0])
      .toBe(before === null ? "–" : String(before));
    const after = await matrix({ filter: { search: row.account.externalId } });
    expect(after.edges[0].node.cells[0].value).toBe(before);
    await page.close();
  });

  it("moves through the grid as the ARIA grid pattern says, one tab stop, the active cell always rendered", async () => {
    const page = await mount(`token="${admin}" page-size="20"`);
    const grid = page.locator("kam-score-matrix .matrix");
    const columns = Number(await grid.getAttribute("aria-colcount"));
    const rows = Number(await grid.getAttribute("aria-rowcount")) - 1;
    expect(columns).toBeGreaterThan(8);
    expect(rows).toBeGreaterThan(30);
    // One tab stop: the grid itself; the header's sort buttons are not in the tab order.
    expect(await page.locator('kam-score-matrix [role="columnheader"] button[tabindex="-1"]').count()).toBe(
      await page.locator('kam-score-matrix [role="columnheader"] button').count(),
    );
    await grid.focus();
    const active = () => grid.getAttribute("aria-activedescendant");
    const press = async (key: string, expected: string) => {
      await page.keyboard.press(key);
      await expect.poll(active, { timeout: 10_000 }).toBe(expected);
      // The active cell is in the DOM, inside the row of its aria-rowindex.
      const row = Number(expected.split("-")[1]);
      expect(
        await page
          .locator(`kam-score-matrix #${expected}`)
          .evaluate((cell) => cell.closest('[role="row"]')?.getAttribute("aria-rowindex")),
      ).toBe(String(row + 2));
    };
    await press("ArrowRight", "c-0-1");
    await press("ArrowDown", "c-1-1");
    await press("ArrowLeft", "c-1-0");
    await press("ArrowLeft", "c-1-0");
    await press("End", `c-1-${columns - 1}`);
    await press("Home", "c-1-0");
    await press("PageDown", "c-11-0");
    await press("PageDown", "c-21-0");
    await press("PageUp", "c-11-0");
    await press("Control+End", `c-${rows - 1}-0`);
    await press("ArrowDown", `c-${rows - 1}-0`);
    await press("Control+Home", "c-0-0");
    await press("ArrowUp", "c-0-0");
    // Enter on the account explains the row; Escape closes the explanation.
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("kam-score-matrix [data-explanation]").count()).toBe(1);
    await page.keyboard.press("Escape");
    await expect.poll(() => page.locator("kam-score-matrix [data-explanation]").count()).toBe(0);
    // A screen reader hears the account, the criterion, the score and its evidence.
    await press("ArrowRight", "c-0-1");
    const label = await page.locator("kam-score-matrix #c-0-1").getAttribute("aria-label");
    const first = (await shownRows(page))[0];
    expect(label).toContain(first?.name as string);
    expect(label).toMatch(first?.cells[0] === "–" ? /not scored/ : new RegExp(`: ${first?.cells[0]}`));
    expect(await axeViolations(page, "kam-score-matrix")).toEqual([]);
    await page.close();
  });

  it("saves a suggested lift as one batch, all or nothing, naming the entry that failed", async () => {
    // The lowest scores are the ones a lift takes several criteria.
    const api = await matrix({ first: 100, orderBy: { field: "SCORE", direction: "ASC" } });
    const lifts = await kam.gql(
      `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Account { id score { explanation { liftToKey { to criterion { key label } } } } } } }`,
      { ids: api.edges.map((edge: any) => edge.node.account.id) },
      admin,
    );
    const target = lifts.nodes.find((node: any) => (node?.score?.explanation.liftToKey.length ?? 0) >= 2);
    expect(target, "a demo account two criteria away from key").toBeDefined();
    const row = api.edges.find((edge: any) => edge.node.account.id === target.id).node;
    const lift = target.score.explanation.liftToKey as {
      to: number;
      criterion: { key: string; label: string };
    }[];
    const page = await mount(
      `token="${admin}" filter='${JSON.stringify({ search: row.account.externalId })}'`,
      { rows: 1, withoutLiveUpdates: true },
    );
    await expect.poll(async () => (await shownRows(page)).map((shown) => shown.id)).toEqual([row.account.id]);
    await page.locator('kam-score-matrix [role="rowheader"]').first().click();
    await page
      .locator("kam-score-matrix [data-explanation] button", { hasText: "Fill in these scores" })
      .click();
    // Rows render where the reader sees them: the grid, above the explanation.
    await page.locator("kam-score-matrix .matrix").scrollIntoViewIfNeeded();
    await expect.poll(() => page.locator("kam-score-matrix .draft").count()).toBe(lift.length);
    // Meanwhile someone scores the last criterion of the lift.
    const last = lift[lift.length - 1] as (typeof lift)[number];
    const set = await kam.gql(
      `mutation($input: ScoreInput!) { setScore(input: $input) { __typename } }`,
      {
        input: { accountId: row.account.id, criterionKey: last.criterion.key, value: last.to === 1 ? 2 : 1 },
      },
      admin,
    );
    expect(set.setScore.__typename).toBe("MutationSetScoreSuccess");
    await page.locator("kam-score-matrix [data-explanation] button", { hasText: "Save the row" }).click();
    await expect
      .poll(() => notice(page), { timeout: 10_000 })
      .toBe(
        `Not saved: ${last.criterion.label}: someone changed this score meanwhile; the matrix shows it now.`,
      );
    // None of the batch was written.
    const after = (await matrix({ filter: { search: row.account.externalId } })).edges[0].node;
    const keys = api.columns.map((column: any) => column.criterion.key);
    for (const step of lift.slice(0, -1)) {
      const index = keys.indexOf(step.criterion.key);
      expect(after.cells[index]).toEqual(row.cells[index]);
    }
    await page.close();
  });
});
