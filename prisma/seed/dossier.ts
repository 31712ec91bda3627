/**
 * One account's dossier: its general facts, its decision-making unit (see org-chart.ts) with
 * personal facts, two years of relationship history and the competitors courting it.
 */
import type {
  AccountEventKind,
  AccountStatus,
  CompetitorPosition,
  Prisma,
  RevenueBand,
  Satisfaction,
  ThreatLevel,
} from "../generated/sqlite/client.ts";
import {
  buildOrgChart,
  buildPersonalFacts,
  emailDomain,
  type SeedAccount,
  type SeedContact,
} from "./org-chart.ts";
import { DAY, HOUR, type Rng } from "./rng.ts";
import {
  bandProfiles,
  competitorStrengths,
  competitorWeaknesses,
  type IndustryProfile,
  industryProfiles,
  listing,
  type Market,
  sentenceCase,
  supplierNames,
} from "./texts.ts";

type EventRow = Prisma.AccountEventCreateManyInput & { id: string; occurredAt: Date };

export function buildDossier({
  account,
  market,
  rng,
  otherAccounts,
  usedDomains,
}: {
  account: SeedAccount;
  market: Market;
  rng: Rng;
  otherAccounts: { name: string; country: string }[];
  usedDomains: Set<string>;
}) {
  const profile = industryProfiles[account.industry];
  const { status, isKeyAccount } = account;
  const created = account.createdAt.getTime();
  const reference = rng.reference;

  // Size.
  const band = rng.oneOf<RevenueBand>(
    isKeyAccount
      ? { FROM_1M_TO_10M: 8, FROM_10M_TO_50M: 24, FROM_50M_TO_250M: 32, FROM_250M_TO_1B: 22, OVER_1B: 14 }
      : {
          UNDER_1M: 10,
          FROM_1M_TO_10M: 30,
          FROM_10M_TO_50M: 30,
          FROM_50M_TO_250M: 18,
          FROM_250M_TO_1B: 8,
          OVER_1B: 4,
        },
  );
  const size = bandProfiles[band];
  const rawEmployees = rng.int(...size.employees);
  const employeeCount =
    rawEmployees > 1000
      ? Math.round(rawEmployees / 50) * 50
      : rawEmployees > 100
        ? Math.round(rawEmployees / 5) * 5
        : rawEmployees;
  const foundedYear = Math.min(rng.int(...size.founded), account.createdAt.getUTCFullYear() - 1);
  const siteCount = rng.int(...size.sites);
  const deliveryBase = rng.int(...size.deliveryEur) * market.perEuro;
  const products = rng.some(profile.buys, rng.int(2, 4));
  const product = () => rng.pick(products);
  const cities = rng.some(market.cities, Math.min(siteCount, 4));
  const headquarters = cities[0] as string;

  // Two years of history before the reference date. What happened before the account was set up
  // in KAM came over from the ERP with it, so such entries were recorded when the account was.
  const end = reference - HOUR;
  const start = reference - 730 * DAY;
  const lossAt = status === "LOST" ? rng.workday(start + (end - start) * 0.4, end - 45 * DAY) : null;
  const dormancy = { ACTIVE: 0.06, PROSPECT: 0.2, AT_RISK: 0.18, LOST: 0.55 }[status];
  // Some accounts have not been met, called or written to for over six months.
  const dormant = rng.chance(dormancy);
  const lastContact = dormant ? rng.workday(reference - 420 * DAY, reference - 190 * DAY) : end;

  // Competitors.
  const competitorCount = Math.max(
    status === "ACTIVE" ? 0 : 1,
    rng.f.helpers.weightedArrayElement([
      { value: 0, weight: 14 },
      { value: 1, weight: 28 },
      { value: 2, weight: 30 },
      { value: 3, weight: 18 },
      { value: 4, weight: 10 },
    ]),
  );
  const competitorNames = new Set<string>();
  while (competitorNames.size < competitorCount) {
    competitorNames.add(rng.chance(0.35) ? rng.f.company.name() : rng.pick(supplierNames));
  }
  // At most one incumbent: the current supplier of a prospect or lost client, or a second source.
  let incumbent = false;
  const competitors: Prisma.CompetitorCreateManyInput[] = [...competitorNames].map((name, index) => {
    let position: CompetitorPosition;
    if (index === 0 && (status === "PROSPECT" || status === "LOST")) position = "INCUMBENT";
    else if (index === 0) position = "CHALLENGER";
    else {
      position = rng.oneOf<CompetitorPosition>({
        CHALLENGER: 30,
        NICHE: 25,
        NEWCOMER: 20,
        FORMER: status === "ACTIVE" ? 15 : 5,
        INCUMBENT: incumbent || status === "PROSPECT" || status === "LOST" ? 0 : 10,
      });
    }
    if (position === "INCUMBENT") incumbent = true;
    const threatLevel = rng.oneOf<ThreatLevel>(
      {
        INCUMBENT: { HIGH: 60, MEDIUM: 40 },
        CHALLENGER: status === "AT_RISK" ? { HIGH: 70, MEDIUM: 30 } : { HIGH: 30, MEDIUM: 50, LOW: 20 },
        NICHE: { MEDIUM: 40, LOW: 60 },
        NEWCOMER: { HIGH: 10, MEDIUM: 40, LOW: 50 },
        FORMER: { MEDIUM: 20, LOW: 80 },
      }[position],
    );
    const lastSeen =
      position === "FORMER"
        ? rng.workday(start, reference - 200 * DAY)
        : rng.chance(0.9)
          ? rng.workday(Math.max(start, reference - 400 * DAY), end)
          : null;
    const createdAt = rng.workday(Math.min(created, end), Math.min(lastSeen ?? end, end));
    return {
      id: rng.id(),
      accountId: account.id,
      name,
      offering: sentenceCase(listing(rng.some(profile.buys, rng.int(1, 2)))),
      position,
      threatLevel,
      strengths: rng.chance(0.9) ? rng.some(competitorStrengths, rng.int(1, 2)).join("; ") : null,
      weaknesses: rng.chance(0.8) ? rng.some(competitorWeaknesses, rng.int(1, 2)).join("; ") : null,
      lastSeenAt: lastSeen === null ? null : new Date(lastSeen),
      createdAt: new Date(createdAt),
      updatedAt: new Date(Math.max(createdAt, lastSeen ?? createdAt)),
    };
  });
  const rival =
    competitors.find((competitor) => competitor.position === "INCUMBENT") ??
    competitors.find((competitor) => competitor.position === "CHALLENGER") ??
    competitors[0];
  const winnerName = () => (rng.chance(0.8) && rival ? rival.name : rng.pick(supplierNames));

  // The decision-making unit.
  const domain = emailDomain(account, rng, usedDomains);
  const contacts = buildOrgChart({ account, market, profile, rng, domain, createdAt: created });
  const byLevel = (level: number) => contacts.filter((contact) => contact.level === level);
  const pickContact = (weight: (contact: SeedContact) => number) => rng.weighted(contacts, weight);

  // The relationship history.
  const events: EventRow[] = [];
  const add = (kind: AccountEventKind, at: number, title: string, fields: Partial<EventRow> = {}) => {
    const occurredAt = Math.min(end, Math.max(start, at));
    const createdAt = Math.min(reference, Math.max(occurredAt, created) + rng.int(10 * 60_000, 2 * DAY));
    const resolvedAt = fields.resolvedAt instanceof Date ? fields.resolvedAt.getTime() : 0;
    events.push({
      id: rng.id(),
      accountId: account.id,
      kind,
      occurredAt: new Date(occurredAt),
      title,
      details: null,
      value: null,
      currency: null,
      contactId: null,
      resolvedAt: null,
      resolution: null,
      reason: null,
      winner: null,
      satisfaction: null,
      ...fields,
      createdAt: new Date(createdAt),
      updatedAt: new Date(Math.max(createdAt, resolvedAt)),
    });
  };
  // How many of each a client of the status has in two years, at least and at most.
  const plans: Record<AccountStatus, Record<string, [number, number]>> = {
    ACTIVE: {
      delivery: [4, 10],
      meeting: [2, 5],
      call: [2, 6],
      email: [2, 5],
      complaint: [0, 2],
      tender: [0, 2],
    },
    AT_RISK: {
      delivery: [3, 7],
      meeting: [1, 4],
      call: [2, 5],
      email: [2, 5],
      complaint: [1, 4],
      tender: [0, 2],
    },
    LOST: {
      delivery: [2, 6],
      meeting: [1, 3],
      call: [1, 4],
      email: [2, 5],
      complaint: [1, 3],
      tender: [0, 1],
    },
    PROSPECT: {
      delivery: [0, 0],
      meeting: [2, 4],
      call: [2, 6],
      email: [2, 6],
      complaint: [0, 0],
      tender: [0, 2],
    },
  };
  const plan = plans[status];
  const count = (key: string) => {
    const [min, max] = plan[key] ?? [0, 0];
    return rng.int(min, max);
  };
  const money = (factor: [number, number]) => ({
    value: rng.amount(deliveryBase * factor[0], deliveryBase * factor[1]),
    currency: market.currency,
  });

  // Deliveries, spread like a supply rhythm; a lost client's stop at the loss.
  const deliveryEnd = lossAt ?? end;
  const deliveries = count("delivery");
  for (let index = 0; index < deliveries; index += 1) {
    const slot =
      start + ((deliveryEnd - start) * (index + rng.f.number.float({ min: 0, max: 1 }))) / deliveries;
    const item = product();
    const orderNo = `PO-${rng.int(10_000, 99_999)}`;
    add(
      "DELIVERY",
      rng.workday(slot - 3 * DAY, Math.min(slot + 3 * DAY, deliveryEnd)),
      rng.pick([`Delivery: ${item}`, `Order ${orderNo}: ${item}`, `Call-off ${orderNo} delivered`]),
      {
        ...money([0.5, 1.8]),
        details: rng.pick([
          "Delivered on time and complete.",
          `Delivered to the ${rng.pick(cities)} site; signed off by the warehouse.`,
          `Partial delivery; the rest followed ${rng.int(2, 9)} days later.`,
          "Express delivery at the client's request.",
          null,
        ]),
        contactId: rng.chance(0.2)
          ? pickContact((c) => (c.post === "operator" || c.post === "buyer" ? 3 : 0)).row.id
          : null,
      },
    );
  }

  // Meetings, calls and e-mails, none after the last contact of a dormant account.
  const contactEnd = dormant ? lastContact : end;
  const meetingTitles = (contact: SeedContact) =>
    status === "PROSPECT"
      ? [
          "Introductory meeting",
          "Needs analysis workshop",
          "Presentation of our references",
          `Lunch with ${contact.row.name}`,
        ]
      : [
          "Quarterly business review",
          "Annual negotiation meeting",
          `Site visit at the ${rng.pick(cities)} ${profile.site}`,
          `Lunch with ${contact.row.name}`,
          "Presentation of the new product range",
          "Workshop on cost savings",
          "Steering meeting on the framework agreement",
        ];
  const addContactEvent = (kind: "MEETING" | "CALL" | "EMAIL", at: number) => {
    const contact = pickContact((c) =>
      kind === "MEETING"
        ? c.row.influence ** 2
        : kind === "CALL"
          ? c.row.influence + (c.post === "buyer" ? 3 : 0)
          : 1 + (c.post === "buyer" || c.post === "controller" || c.post === "engineer" ? 2 : 0),
    );
    const linked = rng.chance(0.9);
    if (kind === "MEETING") {
      const title = rng.pick(meetingTitles(contact));
      add(kind, at, title, {
        contactId: linked || title.startsWith("Lunch") ? contact.row.id : null,
        details: rng.pick([
          "Agreed next steps and owners.",
          "Went through open orders and the forecast for next quarter.",
          "They asked for a proposal on service levels.",
          `Also present: our ${rng.pick(["technical expert", "logistics manager", "sales director"])}.`,
          null,
        ]),
      });
    } else if (kind === "CALL") {
      add(
        kind,
        at,
        rng.pick(
          status === "PROSPECT"
            ? [
                "Cold call to the purchasing department",
                "Follow-up call on our offer",
                "Call to book a first meeting",
              ]
            : [
                "Call about the delivery schedule",
                "Follow-up call on our offer",
                "Call about the price increase",
                "Check-in call",
                "Call to clarify the specifications",
                "Call about an overdue invoice",
              ],
        ),
        { contactId: linked ? contact.row.id : null },
      );
    } else {
      add(
        kind,
        at,
        rng.pick([
          "Sent the revised offer",
          "Sent the product documentation",
          "Answered questions about certificates",
          "Sent the meeting minutes",
          "Sent the new price list",
          "Invitation to our trade-fair stand",
          "Sent a case study from the sector",
        ]),
        { contactId: linked ? contact.row.id : null },
      );
    }
  };
  const contactEvents: { kind: "MEETING" | "CALL" | "EMAIL"; at: number }[] = [];
  for (const kind of ["MEETING", "CALL", "EMAIL"] as const) {
    const n = Math.max(kind === "MEETING" ? 1 : 0, count(kind.toLowerCase()));
    for (let index = 0; index < n; index += 1)
      contactEvents.push({ kind, at: rng.workday(start, contactEnd) });
  }
  // Accounts that are looked after were contacted in the last five months; dormant ones at their last contact.
  const latest = contactEvents.reduce((a, b) => (b.at > a.at ? b : a));
  if (dormant) latest.at = lastContact;
  else if (latest.at < reference - 150 * DAY)
    latest.at = rng.workday(Math.max(start, reference - 150 * DAY), end);
  for (const { kind, at } of contactEvents) addContactEvent(kind, at);

  // Complaints: most resolved, some open (recent ones).
  if (status !== "PROSPECT") {
    const complaints = Math.max(0, count("complaint"));
    const open = rng.chance({ ACTIVE: 0.07, AT_RISK: 0.5, LOST: 0.15 }[status] ?? 0);
    const total = open ? Math.max(1, complaints) : complaints;
    for (let index = 0; index < total; index += 1) {
      const isOpen = open && index === 0;
      const at = isOpen
        ? rng.workday(Math.max(start, end - 80 * DAY), end - 2 * DAY)
        : rng.workday(start, Math.min(end - 5 * DAY, (lossAt ?? end) + 30 * DAY));
      const item = product();
      const resolvedAt = isOpen ? null : Math.min(end, at + rng.int(1, 40) * DAY + rng.int(0, 8) * HOUR);
      add(
        "COMPLAINT",
        at,
        rng.pick([
          `Late delivery of ${item}`,
          "Damaged goods on arrival",
          "Invoice did not match the order",
          `Quality deviation in batch ${rng.int(1000, 9999)}`,
          "Wrong items delivered",
          "Technician did not show up for the service visit",
          `Missing certificates for ${item}`,
        ]),
        {
          contactId: rng.chance(0.7)
            ? pickContact((c) => (["operator", "buyer", "engineer", "inspector"].includes(c.post) ? 3 : 1))
                .row.id
            : null,
          details: rng.pick([
            "Production had to wait for the replacement.",
            "Reported by phone, confirmed in writing the same day.",
            "Second time this quarter; they want a root-cause analysis.",
            null,
          ]),
          reason: rng.chance(0.6)
            ? rng.pick([
                "The carrier missed the delivery slot",
                "Picking error in our warehouse",
                "A component supplier changed the material",
                "The price update was not applied in the ERP",
                "Scheduling mistake in our service planning",
              ])
            : null,
          resolvedAt: resolvedAt === null ? null : new Date(Math.max(resolvedAt, Math.min(end, at))),
          resolution: isOpen
            ? null
            : rng.pick([
                "Credit note issued",
                "Replacement shipped within 48 hours",
                "Corrected invoice sent",
                "Root-cause analysis (8D report) shared and accepted",
                "Service visit rescheduled and done free of charge",
                "Apology and a goodwill discount on the next order",
              ]),
        },
      );
    }
  }

  // Tenders and their outcome: wins with their reason, losses with their reason and winner.
  const outcomeWeights = {
    ACTIVE: { WIN: 70, LOSS: 20, NONE: 10 },
    AT_RISK: { WIN: 40, LOSS: 50, NONE: 10 },
    LOST: { WIN: 50, LOSS: 50, NONE: 0 },
    PROSPECT: { WIN: 0, LOSS: 55, NONE: 45 },
  }[status];
  const winReasons = [
    "Best total cost of ownership",
    "Technical support during the pilot convinced the engineers",
    "Shorter lead times than the incumbent",
    "Strong references in their sector",
    "Flexible payment terms",
    "Local stock close to their sites",
  ];
  const lossReasons = [
    `Our price was ${rng.int(4, 15)}% above the winner's`,
    "We could not commit to the requested delivery window",
    "The incumbent matched our offer at the last minute",
    "Group procurement imposed a global supplier",
    "Our proposal scored lower on sustainability",
    "Last year's complaints weighed against us",
  ];
  const tender = (at: number, outcome: "WIN" | "LOSS" | "NONE") => {
    const item = product();
    const year = new Date(at).getUTCFullYear();
    add(
      "TENDER",
      at,
      rng.pick([`Tender: ${item} framework ${year + 1}-${year + 3}`, `Request for proposal: ${item}`]),
      {
        ...money([6, 24]),
        details: `Offer submitted; ${rng.int(2, 6)} suppliers invited.`,
      },
    );
    const decided = at + rng.int(20, 75) * DAY;
    // A lost client's earlier tenders were decided before the one that lost it.
    if (outcome === "NONE" || decided > (lossAt === null ? end : lossAt - DAY)) return;
    const decider = pickContact((c) =>
      c.row.decisionRole === "DECISION_MAKER" || c.row.decisionRole === "FINANCIAL" ? 4 : 0.5,
    );
    if (outcome === "WIN") {
      add("WIN", decided, rng.pick([`Won: ${item} framework`, `Awarded the ${item} contract`]), {
        reason: rng.pick(winReasons),
        contactId: rng.chance(0.5) ? decider.row.id : null,
      });
    } else {
      add("LOSS", decided, rng.pick([`Lost: ${item} tender`, `Lost the ${item} business`]), {
        reason: rng.pick(lossReasons),
        winner: winnerName(),
        contactId: rng.chance(0.5) ? decider.row.id : null,
      });
    }
  };
  const tenders = count("tender");
  for (let index = 0; index < tenders; index += 1) {
    tender(
      rng.workday(start, lossAt === null ? end - 10 * DAY : lossAt - 80 * DAY),
      rng.oneOf(outcomeWeights),
    );
  }
  if (lossAt !== null) {
    // The tender that lost the client: the business went to the incumbent.
    const item = product();
    const tenderAt = Math.max(start, lossAt - rng.int(25, 60) * DAY);
    add("TENDER", tenderAt, `Tender: ${item} framework renewal`, {
      ...money([10, 30]),
      details: "Renewal put out to tender; we answered with our best offer.",
    });
    add("LOSS", lossAt, `Lost the ${item} framework renewal`, {
      reason: rng.pick(lossReasons),
      winner: rival?.name ?? rng.pick(supplierNames),
      contactId: pickContact((c) => (c.row.decisionRole === "DECISION_MAKER" ? 4 : 0.5)).row.id,
    });
  }
  if (status === "ACTIVE" && rng.chance(0.3)) {
    add("WIN", rng.workday(start, end), "Framework agreement renewed", {
      reason: rng.pick(["Satisfied with service levels", "No reason to change supplier", ...winReasons]),
    });
  }

  // Satisfaction surveys.
  if (status !== "PROSPECT") {
    const surveys = status === "LOST" ? rng.int(0, 1) : rng.int(1, 2);
    const levels = {
      ACTIVE: { VERY_SATISFIED: 30, SATISFIED: 45, NEUTRAL: 18, DISSATISFIED: 6, VERY_DISSATISFIED: 1 },
      AT_RISK: { VERY_SATISFIED: 5, SATISFIED: 20, NEUTRAL: 30, DISSATISFIED: 30, VERY_DISSATISFIED: 15 },
      LOST: { SATISFIED: 5, NEUTRAL: 25, DISSATISFIED: 40, VERY_DISSATISFIED: 30 },
    }[status];
    for (let index = 0; index < surveys; index += 1) {
      const satisfaction = rng.oneOf<Satisfaction>(levels);
      const score = {
        VERY_SATISFIED: [9, 10],
        SATISFIED: [7, 8],
        NEUTRAL: [5, 6],
        DISSATISFIED: [3, 4],
        VERY_DISSATISFIED: [0, 2],
      }[satisfaction] as [number, number];
      const at = rng.workday(
        start + (index * (end - start)) / surveys,
        start + ((index + 1) * (end - start)) / surveys,
      );
      add(
        "SURVEY",
        at,
        rng.pick([
          `Satisfaction survey ${new Date(at).getUTCFullYear()}`,
          `Post-delivery survey: ${product()}`,
        ]),
        {
          satisfaction,
          details: `Would recommend us: ${rng.int(...score)}/10.`,
          contactId: rng.chance(0.5) ? pickContact(() => 1).row.id : null,
        },
      );
    }
  }

  // Referrals and recommendation letters from happy clients.
  const neighbours = otherAccounts.filter(
    (other) => other.country === market.country && other.name !== account.name,
  );
  const referralChance = { ACTIVE: isKeyAccount ? 0.35 : 0.15, PROSPECT: 0.2, AT_RISK: 0, LOST: 0 }[status];
  if (neighbours.length && rng.chance(referralChance)) {
    const fan = pickContact((c) =>
      c.row.attitude === "CHAMPION" ? 5 : c.row.attitude === "SUPPORTER" ? 3 : 0.2,
    );
    const other = rng.pick(neighbours).name;
    add(
      "REFERRAL",
      rng.workday(Math.max(start, reference - 540 * DAY), contactEnd),
      status === "PROSPECT" ? `Introduced to us by ${other}` : `Referred us to ${other}`,
      {
        contactId: status === "PROSPECT" ? null : fan.row.id,
        details: "Warm introduction by phone; a meeting followed.",
      },
    );
  }
  const letterChance = status === "ACTIVE" ? (isKeyAccount ? 0.3 : 0.1) : 0;
  if (rng.chance(letterChance)) {
    const signer = rng.weighted(
      contacts,
      (c) => (c.level <= 1 ? 3 : 0) + (c.row.attitude === "CHAMPION" ? 3 : 0),
    );
    add(
      "RECOMMENDATION_LETTER",
      rng.workday(Math.max(start, reference - 540 * DAY), end),
      `Recommendation letter from ${signer.row.name}`,
      {
        contactId: signer.row.id,
        details: `Signed as ${signer.row.title}; published on our references page with their permission.`,
      },
    );
  }

  // Ten to forty entries: calls and e-mails fill up, the oldest deliveries make room.
  while (events.length < 10)
    addContactEvent(rng.pick(["CALL", "EMAIL"] as const), rng.workday(start, contactEnd));
  while (events.length > 40) {
    const oldest = events
      .filter((event) => event.kind === "DELIVERY")
      .reduce((a, b) => (a.occurredAt < b.occurredAt ? a : b));
    events.splice(events.indexOf(oldest), 1);
  }

  // When each person was last contacted: their latest meeting, call or e-mail, if any.
  for (const contact of contacts) {
    const own = events
      .filter(
        (event) => event.contactId === contact.row.id && ["MEETING", "CALL", "EMAIL"].includes(event.kind),
      )
      .map((event) => event.occurredAt.getTime());
    // Without an entry in the history, perhaps before it began.
    const last = own.length
      ? Math.max(...own)
      : created < start - 30 * DAY && rng.chance(0.5)
        ? rng.workday(Math.max(created, start - 200 * DAY), start)
        : null;
    contact.row.lastContactedAt = last === null ? null : new Date(last);
    if (last !== null && last > (contact.row.updatedAt as Date).getTime())
      contact.row.updatedAt = new Date(last);
  }

  const personalFacts = contacts
    .filter((contact) =>
      rng.chance(0.24 + 0.06 * Number(contact.row.influence) - (status === "PROSPECT" ? 0.1 : 0)),
    )
    .map((contact) => buildPersonalFacts(rng, contact));

  const facts = generalFacts({
    account,
    market,
    profile,
    rng,
    band,
    employeeCount,
    foundedYear,
    siteCount,
    cities,
    headquarters,
    products,
    rival: rival?.name ?? null,
    lossYear: lossAt === null ? null : new Date(lossAt).getUTCFullYear(),
    // The two heads with the most say approve new suppliers.
    approvers: listing(
      byLevel(1)
        .sort((a, b) => b.row.influence - a.row.influence)
        .slice(0, 2)
        .map((c) => `the ${c.row.title}`),
    ),
  });

  return {
    facts,
    contacts: [0, 1, 2].map((level) => byLevel(level).map((contact) => contact.row)),
    personalFacts,
    competitors,
    events,
  };
}

function generalFacts({
  account,
  market,
  profile,
  rng,
  band,
  employeeCount,
  foundedYear,
  siteCount,
  cities,
  headquarters,
  products,
  rival,
  lossYear,
  approvers,
}: {
  account: SeedAccount;
  market: Market;
  profile: IndustryProfile;
  rng: Rng;
  band: RevenueBand;
  employeeCount: number;
  foundedYear: number;
  siteCount: number;
  cities: string[];
  headquarters: string;
  products: string[];
  rival: string | null;
  lossYear: number | null;
  approvers: string;
}) {
  const sites =
    siteCount === 1
      ? `one site in ${headquarters}`
      : `${siteCount} ${profile.sites} in ${market.countryName}`;
  const small = band === "UNDER_1M" || band === "FROM_1M_TO_10M";
  const publicService = account.industry === "Public sector" || account.industry === "Healthcare";
  const reach = publicService
    ? ""
    : small
      ? ", serving customers in its region"
      : `, selling in ${rng.int(3, 40)} countries`;
  const ownership = publicService
    ? rng.pick([
        "Publicly funded, with a board appointed by the region.",
        "Run as a non-profit foundation.",
        "",
      ])
    : small
      ? rng.pick([
          "Family-owned, now run by the second generation.",
          "Founder-led, with a small management team.",
        ])
      : rng.pick([
          `Owned by a private-equity fund since ${rng.int(2012, 2024)}.`,
          "Part of an international group.",
          `Listed on the stock exchange since ${Math.min(2020, rng.int(Math.max(foundedYear + 5, 1985), 2020))}.`,
          "Family-owned, now run by the third generation.",
        ]);
  const description =
    `${account.name} ${rng.pick(profile.activities)}, with ${sites}${reach}. ${ownership}`.trim();

  const sinceYear = account.createdAt.getUTCFullYear();
  const year = (from: number) => rng.int(Math.min(Math.max(foundedYear + 3, from), 2024), 2024);
  const publicSector = account.industry === "Public sector";
  const milestones = rng
    .some(
      [
        { year: year(1960), text: `moved into a new headquarters in ${headquarters}` },
        { year: year(1995), text: "invested in a new, largely automated site" },
        ...(publicSector
          ? [
              { year: year(1990), text: "took over the services of two neighbouring districts" },
              { year: year(2016), text: "got a new director general, who reviews every contract" },
            ]
          : [
              { year: year(1970), text: "merged with a regional competitor" },
              { year: year(1980), text: "opened its first site abroad" },
              { year: year(2008), text: "went through a restructuring after losing a major customer" },
              { year: year(2016), text: "changed CEO; the new management reviews every supplier" },
            ]),
      ],
      2,
    )
    .sort((a, b) => a.year - b.year)
    .map((milestone) => `In ${milestone.year} it ${milestone.text}.`)
    .join(" ");
  const relationship = {
    ACTIVE: `Client since ${sinceYear}: started with a trial order of ${products[0]} and now buys under a framework agreement.`,
    AT_RISK: `Client since ${sinceYear}. Relations cooled after service issues, and ${rival ?? "a competitor"} is pushing hard.`,
    LOST: `Client from ${sinceYear} to ${lossYear ?? sinceYear + 1}; the business went to ${rival ?? "a competitor"} after a tender.`,
    PROSPECT: `Not a client yet: first contact at a trade fair in ${sinceYear}.`,
  }[account.status];
  const history = `Founded in ${foundedYear} in ${headquarters}. ${milestones} ${relationship}`;

  const rounded = (amount: number) => {
    const unit = 10 ** Math.max(0, Math.floor(Math.log10(amount)) - 1);
    return (Math.round(amount / unit) * unit).toLocaleString("en-US");
  };
  const threshold = `${rounded(rng.int(5, 50) * 1000 * market.perEuro)} ${market.currency}`;
  const organisation = [
    publicSector
      ? `Run by a board of elected members. Purchases above ${threshold} go to public tender, prepared by the procurement office in ${headquarters}; the departments write the specifications.`
      : rng.pick([
          `Headquarters in ${headquarters}${cities.length > 1 ? `; sites in ${listing(cities.slice(1))}` : ""}. Purchasing is centralised at headquarters and negotiates yearly framework agreements${cities.length > 1 ? "; the sites order against them" : ""}.`,
          cities.length > 1
            ? `Decentralised: each site buys for itself within a budget set by headquarters in ${headquarters}. Finance approves any order above ${threshold}.`
            : `Finance approves any order above ${threshold}; below that, the department heads buy within their budgets.`,
          small
            ? `Owner-managed: the managing director signs every contract above ${threshold}; the technical team writes the specifications.`
            : `Part of the ${rng.f.company.name()} group: group purchasing sets the supplier panel every three years and the ${headquarters} management chooses within it.`,
        ]),
    approvers ? `New suppliers need the approval of ${approvers}.` : "",
  ]
    .filter(Boolean)
    .join(" ");

  const marketEnvironment = `${rng.some(profile.trends, 2).join(" ")} ${
    publicSector
      ? `It benchmarks its costs against neighbouring authorities such as ${rng.pick(cities)}.`
      : `Its main competitors are ${rng.f.company.name()} and ${rng.f.company.name()}.`
  }`;

  const keyProducts = {
    ACTIVE: sentenceCase(listing(products)),
    AT_RISK: sentenceCase(listing(products)),
    LOST: `Bought ${listing(products)} until ${lossYear ?? sinceYear + 1}.`,
    PROSPECT: `Interested in ${listing(products)}${rival ? `; buys them from ${rival} today` : ""}.`,
  }[account.status];

  return {
    description,
    employeeCount,
    foundedYear,
    history,
    organisation,
    marketEnvironment,
    revenueBand: band,
    keyProducts,
  };
}
