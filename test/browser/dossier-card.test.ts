import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, launchChromium } from "./support/chromium.ts";
import { axeViolations, type KamProcess, startKamProcess } from "./support/kam-process.ts";

/** `<kam-dossier-card>` on a page of the API's origin, reading the demo data through /graphql. */

const dossierQuery = `query($id: ID!) { account(id: $id) { ... on Account {
  id name externalId status isKeyAccount
  segment { cell value }
  score { score rank }
  competitors { name }
  contacts { name personalFactsRestricted personalFacts { hobbies birthday family } }
  events(first: 5) { edges { node { title } } }
} } }`;

interface Subject {
  id: string;
  name: string;
  externalId: string;
  managerEmail: string;
  contacts: number;
  withFacts: number;
  competitors: number;
  events: number;
  segmentCell: string;
}

describe.skipIf(!chromiumAvailable())("<kam-dossier-card>", () => {
  let kam: KamProcess;
  let browser: Browser;
  let admin: string;
  let subject: Subject;

  beforeAll(async () => {
    [kam, browser] = await Promise.all([startKamProcess(), launchChromium()]);
    admin = await kam.tokenFor("admin@demo.kam");
    // An active account whose owner is a manager and whose decision unit holds personal facts.
    const page = await kam.gql(
      `{ accounts(first: 100) { edges { node { id status externalId owner { email }
        contacts { personalFacts { hobbies birthday family } } competitors { id } segment { cell } } } } }`,
      {},
      admin,
    );
    const candidate = page.accounts.edges
      .map((edge: any) => edge.node)
      .find(
        (node: any) =>
          node.owner?.email.startsWith("manager") &&
          node.externalId &&
          node.segment &&
          node.competitors.length > 0 &&
          node.contacts.some((contact: any) => contact.personalFacts),
      );
    expect(candidate, "a demo account with personal facts on a manager's team").toBeDefined();
    const dossier = (await kam.gql(dossierQuery, { id: candidate.id }, admin)).account;
    subject = {
      id: dossier.id,
      name: dossier.name,
      externalId: dossier.externalId,
      managerEmail: candidate.owner.email,
      contacts: dossier.contacts.length,
      withFacts: dossier.contacts.filter((contact: any) => contact.personalFacts).length,
      competitors: dossier.competitors.length,
      events: dossier.events.edges.length,
      segmentCell: dossier.segment.cell,
    };
  });
  afterAll(async () => {
    await browser?.close();
    await kam?.stop();
  });

  /** A page of the API's origin holding the card in a container of the given width. */
  async function mount(
    attributes: string,
    options: { width?: number; colorScheme?: "light" | "dark"; lang?: string; page?: Page } = {},
  ): Promise<Page> {
    const page =
      options.page ??
      (await browser.newPage({
        colorScheme: options.colorScheme ?? "light",
        viewport: { width: 1200, height: 900 },
      }));
    await page.goto(`${kam.origin}/widgets/demo/`);
    await page.evaluate(
      ({ markup, lang }) => {
        document.documentElement.lang = lang;
        document.body.innerHTML = markup;
        (window as any).kamEvents = [];
        for (const name of ["kam-account-select", "kam-error", "kam-ready"]) {
          document.addEventListener(name, (event) =>
            (window as any).kamEvents.push({ name, detail: (event as CustomEvent).detail }),
          );
        }
      },
      {
        markup: `<main><div style="width: ${options.width ?? 1000}px"><kam-dossier-card ${attributes}></kam-dossier-card></div></main>`,
        lang: options.lang ?? "en",
      },
    );
    await page.addScriptTag({ type: "module", url: `${kam.origin}/widgets/kam-widgets.js` });
    return page;
  }

  const events = (page: Page) =>
    page.evaluate(() => (window as any).kamEvents as { name: string; detail: any }[]);
  const card = (page: Page) => page.locator("kam-dossier-card");
  const ready = (page: Page) =>
    expect.poll(() => card(page).locator('[part="card"]').count(), { timeout: 10_000 }).toBe(1);

  it("shows a manager of the account's team its dossier, personal facts included", async () => {
    const manager = await kam.tokenFor(subject.managerEmail);
    const page = await mount(`account="${subject.id}" token="${manager}"`);
    await ready(page);
    expect(await card(page).locator("#name").innerText()).toBe(subject.name);
    expect(await card(page).locator('[part="badge"]').innerText()).toBe(subject.segmentCell);
    expect(await card(page).locator('[part="contact"]').count()).toBe(subject.contacts);
    expect(await card(page).locator("[data-personal]").count()).toBe(subject.withFacts);
    expect(await card(page).locator("[data-restricted]").count()).toBe(0);
    expect(await card(page).locator(".competitor").count()).toBe(subject.competitors);
    expect(await card(page).locator('[data-section="history"] li').count()).toBe(subject.events);
    // The segment's numbers are one click away.
    await card(page).locator('[part="badge"]').click();
    expect(await card(page).locator("#segment").innerText()).toMatch(/Value in the window/);
    expect((await events(page)).find((event) => event.name === "kam-ready")?.detail).toEqual({
      widget: "kam-dossier-card",
      empty: false,
    });
    // Choosing the name hands the account to the host page.
    await card(page).locator("#name").click();
    expect((await events(page)).find((event) => event.name === "kam-account-select")?.detail).toEqual({
      accountId: subject.id,
      name: subject.name,
    });
    expect(await axeViolations(page, "kam-dossier-card")).toEqual([]);
    await page.screenshot({ path: "/tmp/dossier-card.png", fullPage: true });
    await page.close();
  });

  it("shows a viewer the restricted mark instead of personal facts, the rest of the card intact", async () => {
    const viewer = await kam.tokenFor("viewer@demo.kam");
    const page = await mount(`account="${subject.id}" token="${viewer}"`);
    await ready(page);
    expect(await card(page).locator("[data-restricted]").count()).toBe(subject.contacts);
    expect(await card(page).locator("[data-personal]").count()).toBe(0);
    expect(await card(page).locator('[part="state"]').count()).toBe(0);
    expect(await card(page).locator("#name").innerText()).toBe(subject.name);
    expect(await card(page).locator(".competitor").count()).toBe(subject.competitors);
    expect(await card(page).locator("[data-restricted]").first().innerText()).toMatch(/restricted/);
    expect(await axeViolations(page, "kam-dossier-card")).toEqual([]);
    await page.close();
  });

  it("finds the account by its ERP ID", async () => {
    const page = await mount(`external-id="${subject.externalId}" token="${admin}"`);
    await ready(page);
    expect(await card(page).locator("#name").innerText()).toBe(subject.name);
    await page.close();
  });

  it("answers a forged or foreign ID with a typed error and kam-error, never a blank box", async () => {
    const missing = Buffer.from("Account:no-such-account").toString("base64");
    const page = await mount(`account="${missing}" token="${admin}"`);
    const error = card(page).locator('[data-kind="error"]');
    await expect.poll(() => error.count()).toBe(1);
    expect(await error.innerText()).toMatch(/Could not load/);
    expect((await events(page)).find((event) => event.name === "kam-error")?.detail.code).toBe("NOT_FOUND");
    expect(await axeViolations(page, "kam-dossier-card")).toEqual([]);

    const contactId = Buffer.from("Contact:1").toString("base64");
    await card(page).evaluate((element: any, id) => {
      element.account = id;
    }, contactId);
    await expect
      .poll(
        async () => (await events(page)).filter((event) => event.name === "kam-error").at(-1)?.detail.code,
      )
      .toBe("INVALID_ID");
    expect(await card(page).locator("#name").count()).toBe(0);
    await page.close();
  });

  it("says the session has expired, and fires kam-error, for an expired token", async () => {
    const expired = await kam.tokenFor("viewer@demo.kam", -60);
    const page = await mount(`account="${subject.id}" token="${expired}"`);
    const state = card(page).locator('[data-kind="session-expired"]');
    await expect.poll(() => state.count()).toBe(1);
    expect((await events(page)).find((event) => event.name === "kam-error")?.detail.code).toBe(
      "SESSION_EXPIRED",
    );
    expect(await axeViolations(page, "kam-dossier-card")).toEqual([]);
    await page.close();
  });

  it("says no account is chosen when it has none, then loads the one it is given", async () => {
    const page = await mount(`token="${admin}"`);
    const empty = card(page).locator('[data-kind="empty"]');
    await expect.poll(() => empty.count()).toBe(1);
    expect(await empty.innerText()).toMatch(/No account chosen/);
    expect(await axeViolations(page, "kam-dossier-card")).toEqual([]);
    await card(page).evaluate((element: any, id) => {
      element.account = id;
    }, subject.id);
    await ready(page);
    expect(await card(page).locator("#name").innerText()).toBe(subject.name);
    await page.close();
  });

  it("remembers a folded section on this browser", async () => {
    const page = await mount(`account="${subject.id}" token="${admin}"`);
    await ready(page);
    const people = card(page).locator('[data-section="people"]');
    const toggle = people.locator("button.toggle");
    expect(await toggle.getAttribute("aria-expanded")).toBe("true");
    await toggle.click();
    expect(await toggle.getAttribute("aria-expanded")).toBe("false");
    expect(await people.locator('[part="contact"]').count()).toBe(0);
    // A new card on a new page load starts with it folded.
    await mount(`account="${subject.id}" token="${admin}"`, { page });
    await ready(page);
    expect(
      await card(page).locator('[data-section="people"] button.toggle').getAttribute("aria-expanded"),
    ).toBe("false");
    expect(
      await card(page).locator('[data-section="competitors"] button.toggle').getAttribute("aria-expanded"),
    ).toBe("true");
    await card(page).locator('[data-section="people"] button.toggle').click();
    expect(await card(page).locator('[data-section="people"] [part="contact"]').count()).toBe(
      subject.contacts,
    );
    await page.close();
  });

  it("fits a 320 px sidebar in one column and a wide page in two", async () => {
    const columns = async (width: number) => {
      const page = await mount(`account="${subject.id}" token="${admin}"`, { width });
      await ready(page);
      const tracks = await card(page)
        .locator(".body")
        .evaluate((body) => getComputedStyle(body).gridTemplateColumns.split(" ").length);
      const overflow = await card(page).evaluate((element) => element.scrollWidth - element.clientWidth);
      await page.close();
      return { tracks, overflow };
    };
    expect(await columns(320)).toEqual({ tracks: 1, overflow: 0 });
    expect((await columns(1000)).tracks).toBe(2);
  });

  it("speaks the reader's language, numbers included", async () => {
    const page = await mount(`account="${subject.id}" token="${admin}"`, { lang: "fr" });
    await ready(page);
    expect(await card(page).locator('[data-section="people"] h3').innerText()).toMatch(/^Centre de décision/);
    expect(await card(page).locator('[data-section="competitors"] h3').innerText()).toMatch(/^Concurrents/);
    const revenue = await card(page).locator('[data-fact="revenue"] dd').first().innerText();
    expect(revenue).toMatch(/^\d{1,3}(?:[\u202f\u00a0 ]\d{3})*,\d{2}$/);
    expect(await card(page).locator("[part=facts]").innerText()).toMatch(/Chiffre d'affaires, 12 mois/);
    await page.close();
  });

  it("follows its account's score live: a change made elsewhere updates score and rank without a reload", async () => {
    const page = await mount(`account="${subject.id}" token="${admin}"`);
    await ready(page);
    const scoreFact = card(page).locator('[data-fact="score"]');
    const before = await scoreFact.innerText();
    // Every criterion at 10 moves the score (unless it was all 10 already, then all 1).
    const { scoreMatrix } = await kam.gql(
      `query($filter: AccountFilter) { scoreMatrix(filter: $filter) { ... on QueryScoreMatrixSuccess { data {
        columns { criterion { key } } edges { node { score cells { value } } } } } } }`,
      { filter: { search: subject.externalId } },
      admin,
    );
    const row = scoreMatrix.data.edges[0].node;
    const value = row.cells.every((cell: any) => cell.value === 10) ? 1 : 10;
    const set = await kam.gql(
      `mutation($input: SetScoresInput!) { setScores(input: $input) { __typename } }`,
      {
        input: {
          scores: scoreMatrix.data.columns.map((column: any) => ({
            accountId: subject.id,
            criterionKey: column.criterion.key,
            value,
          })),
        },
      },
      admin,
    );
    expect(set.setScores.__typename).toBe("MutationSetScoresSuccess");
    const now = (await kam.gql(dossierQuery, { id: subject.id }, admin)).account.score;
    expect(now.score).not.toBe(row.score);
    await expect.poll(() => scoreFact.innerText(), { timeout: 10_000 }).not.toBe(before);
    const shown = await scoreFact.innerText();
    expect(shown).toContain(new Intl.NumberFormat("en", { maximumFractionDigits: 2 }).format(now.score));
    expect(shown).toContain(`rank ${now.rank}`);
    await page.close();
  });

  it("passes an accessibility scan (WCAG 2.1 AA) in dark mode, every section open", async () => {
    const page = await mount(`account="${subject.id}" token="${admin}"`, { colorScheme: "dark" });
    await ready(page);
    await card(page).locator('[part="badge"]').click();
    for (const summary of await card(page).locator("details summary").all()) await summary.click();
    expect(await axeViolations(page, "kam-dossier-card")).toEqual([]);
    await page.close();
  });
});
