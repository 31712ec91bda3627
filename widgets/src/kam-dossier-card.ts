import { msg, str } from "@lit/localize";
import { html, nothing, type PropertyValues } from "lit";
import { KamElement } from "./base/kam-element.ts";
import { type KamClient, KamRequestError } from "./client/client.ts";
import {
  type Dossier,
  type DossierContact,
  type DossierResult,
  dossierByExternalIdQuery,
  dossierQuery,
  dossierScoreQuery,
} from "./client/operations/dossier.ts";
import { scoreChangedSubscription } from "./client/operations/scores.ts";
import { defineElement } from "./define.ts";
import {
  formatAmount,
  formatBirthday,
  formatDate,
  formatInteger,
  formatNumber,
  formatPercent,
  formatShare,
} from "./format.ts";
import { labels } from "./kam-dossier-card.labels.ts";
import { dossierCardStyles } from "./kam-dossier-card.styles.ts";
import { liveHighlight } from "./styles/live.ts";
import { tokens } from "./styles/tokens.ts";

/** The sections a reader may fold; which are folded is remembered on this browser. */
type SectionId = "types" | "people" | "competitors" | "history";

const foldedKey = "kam-dossier-card.folded";

/** The folded sections, shared by every card on the pages of this origin. */
function readFolded(): Set<SectionId> {
  try {
    const stored = JSON.parse(globalThis.localStorage?.getItem(foldedKey) ?? "[]");
    return new Set(Array.isArray(stored) ? (stored as SectionId[]) : []);
  } catch {
    // Storage may be blocked (private mode, sandboxed frame): folding then lasts for the page.
    return new Set();
  }
}

function writeFolded(folded: Set<SectionId>): void {
  try {
    globalThis.localStorage?.setItem(foldedKey, JSON.stringify([...folded]));
  } catch {
    // As above: nothing to remember it in.
  }
}

/** The decision unit as a tree: who reports to whom, most influential first at each level. */
function orgChart(contacts: DossierContact[]): {
  roots: DossierContact[];
  reports: Map<string, DossierContact[]>;
} {
  const ids = new Set(contacts.map((contact) => contact.id));
  const reports = new Map<string, DossierContact[]>();
  const roots: DossierContact[] = [];
  for (const contact of contacts) {
    const manager = contact.reportsTo?.id;
    if (manager && ids.has(manager) && manager !== contact.id) {
      reports.set(manager, [...(reports.get(manager) ?? []), contact]);
    } else {
      roots.push(contact);
    }
  }
  return { roots, reports };
}

/**
 * One account at a glance, for any page that shows something about it (an ERP screen, a CRM
 * record, a wiki page): status, segment, client types, score, revenue, risk, key-account flag,
 * the decision unit, competitors and the latest history. Personal facts appear only when the
 * token may see them; otherwise a quiet "restricted" mark. Sections fold, and stay folded on this
 * browser. One column in a sidebar, two from 600 px wide.
 *
 * @tag kam-dossier-card
 * @summary An account's dossier as a compact card.
 * @fires {CustomEvent<KamAccountSelectDetail>} kam-account-select - The account's name was chosen (to open it elsewhere).
 * @fires {CustomEvent<KamErrorDetail>} kam-error - Loading failed; `code` says why (NOT_FOUND, INVALID_ID, FORBIDDEN, SESSION_EXPIRED, …).
 * @fires {CustomEvent<KamReadyDetail>} kam-ready - The dossier is loaded (`empty` when no account is set).
 * @csspart card - The card.
 * @csspart header - Name, status, segment badge and flags.
 * @csspart badge - The segment badge (opens its numbers).
 * @csspart facts - Score, revenue and risk.
 * @csspart section - A foldable section.
 * @csspart contact - One person of the decision unit.
 * @csspart button - The buttons.
 * @csspart state - The loading, empty, error and expired messages.
 * @csspart stale - The notice over data kept while offline.
 * @cssproperty --kam-color-surface - Background.
 * @cssproperty --kam-color-surface-raised - Background of facts and list items.
 * @cssproperty --kam-color-text - Text.
 * @cssproperty --kam-color-text-muted - Secondary text, the restricted mark.
 * @cssproperty --kam-color-border - Borders.
 * @cssproperty --kam-color-accent - The name and the segment badge.
 * @cssproperty --kam-color-on-accent - Text on the segment badge.
 * @cssproperty --kam-color-focus - Focus ring.
 * @cssproperty --kam-color-danger - Lost accounts, high threat.
 * @cssproperty --kam-color-warning - Risk, stale data.
 * @cssproperty --kam-color-success - Active and key accounts, growth.
 * @cssproperty --kam-radius - Corner radius.
 * @cssproperty --kam-font-family - Font.
 * @cssproperty --kam-space - Base spacing.
 */
export class KamDossierCard extends KamElement {
  static override styles = [tokens, liveHighlight, dossierCardStyles];

  static override properties = {
    ...KamElement.properties,
    account: { type: String },
    externalId: { type: String, attribute: "external-id" },
    dossier: { state: true },
    folded: { state: true },
    segmentOpen: { state: true },
    scoreMoved: { state: true },
  };

  /** The account's KAM ID (a global ID, as the API and `kam-account-select` give it). */
  declare account: string | null;
  /** The account's ID in the ERP, used when `account` is not set. */
  declare externalId: string | null;
  declare private dossier: Dossier | null;
  declare private folded: Set<SectionId>;
  declare private segmentOpen: boolean;
  /** The score just changed elsewhere (highlighted for a moment). */
  declare private scoreMoved: boolean;

  constructor() {
    super();
    this.account = null;
    this.externalId = null;
    this.dossier = null;
    this.folded = readFolded();
    this.segmentOpen = false;
    this.scoreMoved = false;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (this.changedSinceFirstRender(changed, ["account", "externalId"])) {
      // Another account: nothing of the previous one may stay on screen.
      this.dossier = null;
      this.loadedAt = null;
      this.segmentOpen = false;
      this.refresh();
    }
  }

  protected override async load(client: KamClient, signal: AbortSignal): Promise<boolean> {
    const account = this.account?.trim();
    const externalId = this.externalId?.trim();
    let result: DossierResult;
    if (account) {
      result = (await client.request(dossierQuery, { id: account }, signal)).account;
    } else if (externalId) {
      result = (await client.request(dossierByExternalIdQuery, { externalId }, signal)).accountByExternalId;
    } else {
      this.dossier = null;
      return false;
    }
    if (result.__typename !== "Account") throw new KamRequestError(result.code, result.message);
    this.dossier = result;
    const id = result.id;
    this.stream(
      "scores",
      scoreChangedSubscription,
      { accountIds: [id] },
      () => void this.rereadScore(id, true),
      () => void this.rereadScore(id, false),
    );
    return true;
  }

  /** The account's score, rank and trend again after a change (or a missed one). */
  private async rereadScore(id: string, moved: boolean): Promise<void> {
    const result = await this.kam.request(dossierScoreQuery, { id }).catch(() => null);
    if (result?.account.__typename !== "Account" || this.dossier?.id !== id) return;
    this.dossier = { ...this.dossier, score: result.account.score ?? null };
    if (!moved) return;
    this.scoreMoved = true;
    setTimeout(() => {
      this.scoreMoved = false;
    }, 1_600);
  }

  private toggle(section: SectionId): void {
    const folded = new Set(this.folded);
    if (folded.has(section)) folded.delete(section);
    else folded.add(section);
    this.folded = folded;
    writeFolded(folded);
  }

  protected override render() {
    if (this.view.kind === "empty") {
      return html`<div class="state" part="state" data-kind="empty" role="status">
        ${msg("No account chosen.", { id: "card.none" })}
      </div>`;
    }
    return this.renderState(() => (this.dossier ? this.renderCard(this.dossier) : nothing));
  }

  private renderCard(dossier: Dossier) {
    const label = labels();
    return html`<article class="card" part="card" aria-labelledby="name">
      <div class="header" part="header">
        <h2 class="title">
          <button
            id="name"
            class="name"
            type="button"
            @click=${() => this.emit("kam-account-select", { accountId: dossier.id, name: dossier.name })}
          >
            ${dossier.name}
          </button>
        </h2>
        <span class="pill" data-tone=${statusTone[dossier.status] ?? ""}>
          ${label.status[dossier.status] ?? dossier.status}
        </span>
        ${
          dossier.segment
            ? html`<button
                type="button"
                class="badge"
                part="badge"
                aria-expanded=${this.segmentOpen ? "true" : "false"}
                aria-controls="segment"
                aria-label=${msg(str`Segment ${dossier.segment.cell}: show its numbers`, { id: "card.segment.open" })}
                @click=${() => {
                  this.segmentOpen = !this.segmentOpen;
                }}
              >
                ${dossier.segment.cell}
              </button>`
            : nothing
        }
        ${
          dossier.isKeyAccount
            ? html`<span class="pill" data-tone="success">${msg("Key account", { id: "card.key" })}</span>`
            : nothing
        }
        ${dossier.externalId ? html`<span class="muted">${msg(str`ERP ${dossier.externalId}`, { id: "card.erp" })}</span>` : nothing}
      </div>
      ${this.segmentOpen ? this.renderSegment(dossier) : nothing}
      ${this.renderFacts(dossier)}
      <div class="body">
        ${this.renderSection(
          "types",
          msg("Client types", { id: "card.types" }),
          dossier.clientTypes.length,
          () => this.renderClientTypes(dossier),
        )}
        ${this.renderSection(
          "people",
          msg("Decision unit", { id: "card.people" }),
          dossier.contacts.length,
          () => this.renderPeople(dossier.contacts),
        )}
        ${this.renderSection(
          "competitors",
          msg("Competitors", { id: "card.competitors" }),
          dossier.competitors.length,
          () => this.renderCompetitors(dossier),
        )}
        ${this.renderSection(
          "history",
          msg("Latest history", { id: "card.history" }),
          dossier.events.edges.length,
          () => this.renderHistory(dossier),
        )}
      </div>
    </article>`;
  }

  private renderSegment(dossier: Dossier) {
    const segment = dossier.segment;
    if (!segment) return nothing;
    return html`<dl id="segment" class="facts segment">
      <div><dt>${msg("Rank by value", { id: "card.segment.rank" })}</dt><dd>${formatInteger(segment.rank)}</dd></div>
      <div><dt>${msg("Value in the window", { id: "card.segment.value" })}</dt><dd>${formatAmount(segment.value)}</dd></div>
      <div><dt>${msg("Share of the value", { id: "card.segment.share" })}</dt><dd>${formatShare(segment.share)}</dd></div>
      <div>
        <dt>${msg("Coefficient of variation", { id: "card.segment.cv" })}</dt>
        <dd>${segment.coefficientOfVariation == null ? "–" : formatNumber(segment.coefficientOfVariation)}</dd>
      </div>
      <div>
        <dt>${msg("Months of history", { id: "card.segment.months" })}</dt>
        <dd>${formatInteger(segment.activeMonths)}</dd>
      </div>
      ${
        segment.noSalesInWindow
          ? html`<div><dt>${msg("Flag", { id: "card.segment.flag" })}</dt><dd>${msg("no sales in window", { id: "grid.flag.no-sales" })}</dd></div>`
          : nothing
      }
      ${
        segment.insufficientHistory && !segment.noSalesInWindow
          ? html`<div><dt>${msg("Flag", { id: "card.segment.flag" })}</dt><dd>${msg("short history", { id: "grid.flag.short" })}</dd></div>`
          : nothing
      }
    </dl>`;
  }

  private renderFacts(dossier: Dossier) {
    const score = dossier.score;
    const twelve = dossier.growth?.twelveMonths;
    const risk = dossier.risk;
    const trend = score?.trend;
    const change = twelve?.revenueChangePercent;
    return html`<dl class="facts" part="facts">
      <div data-fact="score" class=${this.scoreMoved ? "flash" : ""}>
        <dt>${msg("Score", { id: "card.score" })}</dt>
        <dd>
          ${score?.score == null ? msg("not scored", { id: "card.score.none" }) : formatNumber(score.score)}
          ${
            trend == null
              ? nothing
              : html`<span class="trend" data-tone=${trend > 0 ? "success" : trend < 0 ? "danger" : ""}>
                  ${msg(str`${signed(trend)} in 90 days`, { id: "card.score.trend" })}
                </span>`
          }
        </dd>
        ${
          score?.rank == null
            ? nothing
            : html`<dd class="muted">${msg(str`rank ${formatInteger(score.rank)}`, { id: "card.score.rank" })}</dd>`
        }
      </div>
      <div data-fact="revenue">
        <dt>${msg("Revenue, 12 months", { id: "card.revenue" })}</dt>
        <dd>${twelve ? formatAmount(twelve.current.revenue) : "–"}</dd>
        ${
          change == null
            ? nothing
            : html`<dd class="muted">
                ${msg(str`${signed(change, "%")} on the 12 months before`, { id: "card.revenue.growth" })}
              </dd>`
        }
      </div>
      ${risk && risk.reasons.length > 0 ? this.renderRisk(risk) : nothing}
    </dl>`;
  }

  private renderRisk(risk: NonNullable<Dossier["risk"]>) {
    return html`<div class="risk-fact" data-fact="risk">
      <dt>${msg("At risk", { id: "card.risk" })}</dt>
      ${risk.reasons.map((reason) => {
        if (reason.kind === "REVENUE_DROP" && risk.revenueDropPercent != null) {
          const drop = formatPercent(risk.revenueDropPercent);
          return html`<dd class="risk">${msg(str`Revenue down ${drop} on the same months a year before.`, { id: "card.risk.drop" })}</dd>`;
        }
        if (reason.kind === "LONG_SILENCE" && risk.silenceDays != null) {
          const days = formatInteger(risk.silenceDays);
          return html`<dd class="risk">
            ${
              risk.medianGapDays == null
                ? msg(str`No purchase for ${days} days.`, { id: "card.risk.silence" })
                : msg(
                    str`No purchase for ${days} days; usually every ${formatInteger(risk.medianGapDays)} days.`,
                    {
                      id: "card.risk.silence-gap",
                    },
                  )
            }
          </dd>`;
        }
        return html`<dd class="risk" lang="en">${reason.text}</dd>`;
      })}
    </div>`;
  }

  private renderSection(id: SectionId, title: string, count: number, content: () => unknown) {
    const open = !this.folded.has(id);
    return html`<section class="section" part="section" data-section=${id} aria-labelledby=${`${id}-title`}>
      <h3 id=${`${id}-title`}>
        <button
          type="button"
          class="toggle"
          part="button"
          aria-expanded=${open ? "true" : "false"}
          aria-controls=${`${id}-content`}
          @click=${() => this.toggle(id)}
        >
          <span>${title} <span class="muted">(${formatInteger(count)})</span></span>
        </button>
      </h3>
      <div id=${`${id}-content`} ?hidden=${!open}>
        ${open ? (count === 0 ? html`<p class="muted">${msg("None.", { id: "card.none-yet" })}</p>` : content()) : nothing}
      </div>
    </section>`;
  }

  private renderClientTypes(dossier: Dossier) {
    const label = labels();
    return html`<ul>
      ${dossier.clientTypes.map(
        (clientType) => html`<li>
          <strong>${label.clientType[clientType.type] ?? clientType.type}</strong>
          <span class="muted" lang="en">${clientType.reason}</span>
        </li>`,
      )}
    </ul>`;
  }

  private renderPeople(contacts: DossierContact[]) {
    const { roots, reports } = orgChart(contacts);
    const branch = (people: DossierContact[], depth: number): unknown =>
      html`<ul class=${depth > 0 ? "reports" : "org"}>
        ${people.map(
          (contact) => html`<li>
            ${this.renderContact(contact)}
            ${reports.has(contact.id) && depth < 8 ? branch(reports.get(contact.id) ?? [], depth + 1) : nothing}
          </li>`,
        )}
      </ul>`;
    return branch(roots, 0);
  }

  private renderContact(contact: DossierContact) {
    const label = labels();
    const facts = contact.personalFacts;
    return html`<div class="contact" part="contact">
      <div><strong>${contact.name}</strong>${contact.title ? html` <span class="muted">· ${contact.title}</span>` : nothing}</div>
      <div class="muted">
        ${label.role[contact.decisionRole] ?? contact.decisionRole} ·
        ${msg(str`influence ${contact.influence}/5`, { id: "card.influence" })} ·
        ${label.attitude[contact.attitude] ?? contact.attitude}
      </div>
      ${
        contact.characterType
          ? html`<details class="pitch">
              <summary>${label.character[contact.characterType] ?? contact.characterType}</summary>
              <p>${label.pitch[contact.characterType] ?? ""}</p>
            </details>`
          : nothing
      }
      ${
        contact.personalFactsRestricted
          ? html`<div class="restricted" data-restricted>${msg("Personal facts: restricted", { id: "card.restricted" })}</div>`
          : facts
            ? html`<dl class="personal" data-personal>
                ${facts.birthday ? html`<div><dt>${msg("Birthday", { id: "card.birthday" })}</dt><dd>${formatBirthday(facts.birthday)}</dd></div>` : nothing}
                ${facts.hobbies ? html`<div><dt>${msg("Hobbies", { id: "card.hobbies" })}</dt><dd>${facts.hobbies}</dd></div>` : nothing}
                ${facts.family ? html`<div><dt>${msg("Family", { id: "card.family" })}</dt><dd>${facts.family}</dd></div>` : nothing}
              </dl>`
            : nothing
      }
    </div>`;
  }

  private renderCompetitors(dossier: Dossier) {
    const label = labels();
    return html`<ul>
      ${dossier.competitors.map(
        (competitor) => html`<li class="competitor">
          <span>${competitor.name}</span>
          <span class="pill" data-tone=${threatTone[competitor.threatLevel] ?? ""}>
            ${label.threat[competitor.threatLevel] ?? competitor.threatLevel}
          </span>
        </li>`,
      )}
    </ul>`;
  }

  private renderHistory(dossier: Dossier) {
    const label = labels();
    return html`<ul>
      ${dossier.events.edges.map(
        ({ node }) => html`<li>
          <span class="muted"><time datetime=${node.occurredAt}>${formatDate(node.occurredAt)}</time> ·
          ${label.event[node.kind] ?? node.kind}</span>
          <div>${node.title}</div>
        </li>`,
      )}
    </ul>`;
  }
}

const statusTone: Record<string, string> = { ACTIVE: "success", AT_RISK: "warning", LOST: "danger" };
const threatTone: Record<string, string> = { HIGH: "danger", MEDIUM: "warning" };

/** A change with its sign: +1.5, −2. */
function signed(value: number, unit = ""): string {
  const text = unit === "%" ? formatPercent(Math.abs(value)) : formatNumber(Math.abs(value));
  return `${value > 0 ? "+" : value < 0 ? "−" : ""}${text}`;
}

defineElement("kam-dossier-card", KamDossierCard);

declare global {
  interface HTMLElementTagNameMap {
    "kam-dossier-card": KamDossierCard;
  }
}
