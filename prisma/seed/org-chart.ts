/**
 * The decision-making unit of one account's dossier: the posts an org chart is made of, the people
 * who hold them (with their e-mail addresses) and the personal facts known about some of them.
 */
import type {
  AccountStatus,
  Attitude,
  CharacterType,
  ContactChannel,
  DecisionRole,
  LegalBasis,
  Prisma,
} from "../generated/sqlite/client.ts";
import { asciiSlug, thaiNames } from "./names.ts";
import { DAY, HOUR, type Rng } from "./rng.ts";
import { type Industry, type IndustryProfile, listing, type Market, sentenceCase } from "./texts.ts";

// ---------------------------------------------------------------------------------------------
// The decision-making unit: the posts an org chart is made of.

interface Post {
  key: string;
  titles: string[];
  department: string;
  roles: Partial<Record<DecisionRole, number>>;
  influence: [number, number];
  character: Partial<Record<CharacterType, number>>;
}

const topPost = (profile: IndustryProfile, industry: Industry): Post => ({
  key: "top",
  titles:
    industry === "Public sector"
      ? ["Director General", "Chief Executive"]
      : industry === "Healthcare"
        ? ["Chief Executive", "Managing Director"]
        : ["Chief Executive Officer", "Managing Director", "General Manager", "President"],
  department: profile.sites === "branches" ? "Executive board" : "Executive management",
  roles: { DECISION_MAKER: 1 },
  influence: [5, 5],
  // Top managers are often dominant (the articles' typology).
  character: { DOMINANT: 70, DETAIL_ORIENTED: 15, PEOPLE_ORIENTED: 15 },
});

/** A second person at the top who reports to nobody at the client. */
const secondRoots: Post[] = [
  {
    key: "chair",
    titles: ["Chair of the Board", "Owner and Chair"],
    department: "Board",
    roles: { DECISION_MAKER: 1 },
    influence: [4, 5],
    character: { DOMINANT: 65, PEOPLE_ORIENTED: 20, DETAIL_ORIENTED: 15 },
  },
  {
    key: "group",
    titles: ["Group Procurement Director", "Group Head of Purchasing"],
    department: "Group purchasing",
    roles: { DECISION_MAKER: 50, INFLUENCER: 35, FINANCIAL: 15 },
    influence: [4, 5],
    character: { DOMINANT: 45, DETAIL_ORIENTED: 40, PEOPLE_ORIENTED: 15 },
  },
];

const headPosts = (profile: IndustryProfile): (Post & { weight: number })[] => [
  {
    key: "purchasing",
    weight: 95,
    titles: ["Purchasing Director", "Head of Procurement", "Chief Procurement Officer"],
    department: "Purchasing",
    roles: { DECISION_MAKER: 45, INFLUENCER: 40, FINANCIAL: 15 },
    influence: [3, 5],
    character: { DOMINANT: 35, DETAIL_ORIENTED: 45, PEOPLE_ORIENTED: 20 },
  },
  {
    key: "finance",
    weight: 80,
    titles: ["Chief Financial Officer", "Finance Director", "Head of Finance"],
    department: "Finance",
    roles: { FINANCIAL: 1 },
    influence: [4, 5],
    // Finance and technical people watch numbers and details.
    character: { DETAIL_ORIENTED: 75, DOMINANT: 20, PEOPLE_ORIENTED: 5 },
  },
  {
    key: "technical",
    weight: 75,
    titles: [
      profile.technicalHead,
      ...(profile.technicalHead.includes("Information") ? [] : ["Head of Engineering"]),
    ],
    department: profile.technicalHead.includes("Information") ? "IT" : "Engineering",
    roles: { TECHNICAL: 1 },
    influence: [3, 4],
    character: { DETAIL_ORIENTED: 75, DOMINANT: 15, PEOPLE_ORIENTED: 10 },
  },
  {
    key: "operations",
    weight: 75,
    titles: [profile.operationsHead],
    department: "Operations",
    roles: { INFLUENCER: 55, DECISION_MAKER: 25, USER: 20 },
    influence: [3, 4],
    character: { DOMINANT: 40, DETAIL_ORIENTED: 30, PEOPLE_ORIENTED: 30 },
  },
  {
    key: "assistant",
    weight: 45,
    titles: ["Executive Assistant", "Office Manager", "Chief of Staff"],
    department: "Executive management",
    roles: { GATEKEEPER: 1 },
    influence: [1, 2],
    character: { PEOPLE_ORIENTED: 55, DETAIL_ORIENTED: 35, DOMINANT: 10 },
  },
  {
    key: "quality",
    weight: 40,
    titles: ["Quality Manager", "Head of Quality, Health & Safety"],
    department: "Quality",
    roles: { TECHNICAL: 55, INFLUENCER: 45 },
    influence: [2, 3],
    character: { DETAIL_ORIENTED: 75, DOMINANT: 10, PEOPLE_ORIENTED: 15 },
  },
  {
    key: "hr",
    weight: 30,
    titles: ["HR Director", "Head of People"],
    department: "Human resources",
    roles: { INFLUENCER: 1 },
    influence: [2, 3],
    // HR directors focus on people, references and relationships.
    character: { PEOPLE_ORIENTED: 80, DETAIL_ORIENTED: 10, DOMINANT: 10 },
  },
  {
    key: "it",
    weight: 25,
    titles: ["IT Director", "Head of IT"],
    department: "IT",
    roles: { TECHNICAL: 1 },
    influence: [2, 4],
    character: { DETAIL_ORIENTED: 70, DOMINANT: 15, PEOPLE_ORIENTED: 15 },
  },
];

/** The people who report to a head (or to group purchasing), by the key of the post above them. */
const staffPosts = (profile: IndustryProfile): Record<string, Post & { weight: number }> => ({
  purchasing: {
    key: "buyer",
    weight: 3,
    titles: ["Senior Buyer", "Buyer", "Purchasing Assistant"],
    department: "Purchasing",
    roles: { GATEKEEPER: 60, INFLUENCER: 25, USER: 15 },
    influence: [1, 3],
    character: { DETAIL_ORIENTED: 55, PEOPLE_ORIENTED: 25, DOMINANT: 20 },
  },
  group: {
    key: "categoryBuyer",
    weight: 1.5,
    titles: ["Category Buyer", "Strategic Buyer"],
    department: "Group purchasing",
    roles: { GATEKEEPER: 55, INFLUENCER: 45 },
    influence: [2, 3],
    character: { DETAIL_ORIENTED: 60, DOMINANT: 25, PEOPLE_ORIENTED: 15 },
  },
  finance: {
    key: "controller",
    weight: 1.5,
    titles: ["Financial Controller", "Management Accountant"],
    department: "Finance",
    roles: { FINANCIAL: 1 },
    influence: [2, 3],
    character: { DETAIL_ORIENTED: 85, DOMINANT: 5, PEOPLE_ORIENTED: 10 },
  },
  technical: {
    key: "engineer",
    weight: 2,
    titles: ["Project Engineer", "Maintenance Engineer", "Methods Engineer"],
    department: "Engineering",
    roles: { TECHNICAL: 60, USER: 40 },
    influence: [2, 3],
    character: { DETAIL_ORIENTED: 75, PEOPLE_ORIENTED: 15, DOMINANT: 10 },
  },
  operations: {
    key: "operator",
    weight: 3,
    titles: profile.operationsStaff,
    department: "Operations",
    roles: { USER: 80, INFLUENCER: 20 },
    influence: [1, 3],
    character: { DOMINANT: 30, DETAIL_ORIENTED: 35, PEOPLE_ORIENTED: 35 },
  },
  quality: {
    key: "inspector",
    weight: 1,
    titles: ["Quality Technician", "Quality Inspector"],
    department: "Quality",
    roles: { USER: 1 },
    influence: [1, 2],
    character: { DETAIL_ORIENTED: 75, PEOPLE_ORIENTED: 15, DOMINANT: 10 },
  },
  hr: {
    key: "hrStaff",
    weight: 0.7,
    titles: ["Training Coordinator", "HR Business Partner"],
    department: "Human resources",
    roles: { USER: 1 },
    influence: [1, 2],
    character: { PEOPLE_ORIENTED: 75, DETAIL_ORIENTED: 15, DOMINANT: 10 },
  },
  it: {
    key: "itStaff",
    weight: 0.7,
    titles: ["Systems Administrator", "IT Service Manager"],
    department: "IT",
    roles: { TECHNICAL: 50, USER: 50 },
    influence: [1, 2],
    character: { DETAIL_ORIENTED: 70, PEOPLE_ORIENTED: 20, DOMINANT: 10 },
  },
});

/** How much say each role has, at least and at most. */
const roleInfluence: Record<DecisionRole, [number, number]> = {
  DECISION_MAKER: [3, 5],
  FINANCIAL: [2, 5],
  INFLUENCER: [2, 5],
  TECHNICAL: [2, 4],
  USER: [1, 3],
  GATEKEEPER: [1, 3],
};

const attitudeWeights: Record<AccountStatus, Record<Attitude, number>> = {
  ACTIVE: { CHAMPION: 20, SUPPORTER: 35, NEUTRAL: 28, SCEPTIC: 12, OPPONENT: 5 },
  PROSPECT: { CHAMPION: 5, SUPPORTER: 20, NEUTRAL: 50, SCEPTIC: 18, OPPONENT: 7 },
  AT_RISK: { CHAMPION: 6, SUPPORTER: 20, NEUTRAL: 30, SCEPTIC: 28, OPPONENT: 16 },
  LOST: { CHAMPION: 3, SUPPORTER: 12, NEUTRAL: 30, SCEPTIC: 30, OPPONENT: 25 },
};

const channelWeights: Record<CharacterType, Record<ContactChannel, number>> = {
  DOMINANT: { MEETING: 40, PHONE: 40, EMAIL: 15, MESSAGING: 5 },
  DETAIL_ORIENTED: { EMAIL: 65, MEETING: 15, PHONE: 15, MESSAGING: 5 },
  PEOPLE_ORIENTED: { MEETING: 35, PHONE: 25, MESSAGING: 25, EMAIL: 15 },
};

// ---------------------------------------------------------------------------------------------
// The people who hold the posts, and what is known about them.

export interface SeedAccount {
  id: string;
  name: string;
  industry: Industry;
  website: string | null;
  status: AccountStatus;
  isKeyAccount: boolean;
  createdAt: Date;
}

export interface SeedContact {
  row: Prisma.ContactCreateManyInput & { id: string };
  level: number;
  post: string;
  sex: "female" | "male";
}

export function emailDomain(account: SeedAccount, rng: Rng, used: Set<string>) {
  // Thai company names have no Latin letters to build a domain from; they go by a romanised name.
  let base = /[\u0E00-\u0E7F]/.test(account.name)
    ? `${rng.pick(thaiNames.last)[1].toLowerCase()}-${rng.pick(["group", "holding", "industries", "trading"])}`
    : asciiSlug(account.name).slice(0, 40).replace(/-+$/, "");
  if (base.replace(/-/g, "").length < 3) base = `${asciiSlug(account.industry)}-client`;
  let domain = base;
  for (let suffix = 2; used.has(domain); suffix += 1) domain = `${base}-${suffix}`;
  used.add(domain);
  return `${domain}.example`;
}

export function buildOrgChart({
  account,
  market,
  profile,
  rng,
  domain,
  createdAt,
}: {
  account: SeedAccount;
  market: Market;
  profile: IndustryProfile;
  rng: Rng;
  domain: string;
  createdAt: number;
}): SeedContact[] {
  const baseSize = rng.f.helpers.weightedArrayElement(
    [3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((value, index) => ({
      value,
      weight: [6, 10, 13, 14, 13, 12, 10, 8, 7, 7][index] as number,
    })),
  );
  const size = Math.min(12, Math.max(3, baseSize + (account.isKeyAccount ? rng.int(0, 2) : 0)));
  const reference = rng.reference;
  const emailPattern = rng.pick(["first.last", "f.last", "flast", "first.last"]);
  const usedEmails = new Set<string>();
  const contacts: SeedContact[] = [];

  const person = (post: Post, level: number, reportsTo: SeedContact | null) => {
    const sex = rng.pick(["female", "male"] as const);
    let name: string;
    let first: string;
    let last: string;
    if (market.country === "TH") {
      const [firstThai, firstLatin] = rng.pick(thaiNames[sex]);
      const [lastThai, lastLatin] = rng.pick(thaiNames.last);
      name = `${firstThai} ${lastThai}`;
      first = firstLatin;
      last = lastLatin;
    } else {
      first = rng.f.person.firstName(sex);
      last = rng.f.person.lastName(sex);
      name = `${first} ${last}`;
    }
    const firstSlug = asciiSlug(first).split("-")[0] || "contact";
    const lastSlug = asciiSlug(last).split("-")[0] || "kam";
    const local =
      emailPattern === "f.last"
        ? `${firstSlug.charAt(0)}.${lastSlug}`
        : emailPattern === "flast"
          ? `${firstSlug.charAt(0)}${lastSlug}`
          : `${firstSlug}.${lastSlug}`;
    let address = local;
    for (let suffix = 2; usedEmails.has(address); suffix += 1) address = `${local}${suffix}`;
    usedEmails.add(address);
    const decisionRole = rng.oneOf<DecisionRole>(post.roles);
    const characterType = rng.chance(0.92) ? rng.oneOf<CharacterType>(post.character) : null;
    const created = Math.min(reference - HOUR, createdAt + rng.int(0, 8) * HOUR);
    const channels = { ...channelWeights[characterType ?? "DETAIL_ORIENTED"] };
    channels.MESSAGING += market.messaging;
    const contact: SeedContact = {
      level,
      post: post.key,
      sex,
      row: {
        id: rng.id(),
        accountId: account.id,
        name,
        title: rng.pick(post.titles),
        department: post.department,
        decisionRole,
        influence: Math.min(
          roleInfluence[decisionRole][1],
          Math.max(roleInfluence[decisionRole][0], rng.int(...post.influence)),
        ),
        attitude: rng.oneOf<Attitude>(attitudeWeights[account.status]),
        characterType,
        reportsToId: reportsTo?.row.id ?? null,
        email: rng.chance(0.95) ? `${address}@${domain}` : null,
        phone: rng.chance(0.85) ? rng.f.helpers.replaceSymbols(market.phone) : null,
        preferredChannel: rng.chance(0.9) ? rng.oneOf<ContactChannel>(channels) : null,
        lastContactedAt: null,
        createdAt: new Date(created),
        updatedAt: new Date(created),
      },
    };
    contacts.push(contact);
    return contact;
  };

  const top = person(topPost(profile, account.industry), 0, null);
  const second = size >= 6 && rng.chance(0.3) ? person(rng.pick(secondRoots), 0, null) : null;
  const remaining = size - contacts.length;
  const headCount =
    remaining <= 3
      ? remaining
      : Math.min(7, Math.max(2, Math.round(remaining * rng.f.number.float({ min: 0.45, max: 0.7 }))));
  const heads: SeedContact[] = [];
  const available = headPosts(profile);
  for (let index = 0; index < headCount; index += 1) {
    const post = rng.weighted(available, (candidate) => candidate.weight);
    available.splice(available.indexOf(post), 1);
    heads.push(person(post, 1, top));
  }
  const staff = staffPosts(profile);
  const managersOfStaff = [...heads, ...(second?.post === "group" ? [second] : [])].filter(
    (manager) => staff[manager.post],
  );
  while (contacts.length < size) {
    if (managersOfStaff.length === 0) {
      // Only an assistant among the heads: the rest report to the top directly.
      const post = rng.weighted(available, (candidate) => candidate.weight);
      available.splice(available.indexOf(post), 1);
      heads.push(person(post, 1, top));
      if (staff[post.key]) managersOfStaff.push(heads[heads.length - 1] as SeedContact);
      continue;
    }
    const manager = rng.weighted(managersOfStaff, (candidate) => staff[candidate.post]?.weight ?? 0);
    person(staff[manager.post] as Post, 2, manager);
  }
  return contacts;
}

export function buildPersonalFacts(
  rng: Rng,
  contact: SeedContact,
): Prisma.ContactPersonalFactsCreateManyInput {
  const contactCreated = (contact.row.createdAt as Date).getTime();
  const reference = rng.reference;
  // The birthday: sometimes without the year; a few fall in the month after the reference date.
  let birthMonth: number | null = null;
  let birthDay: number | null = null;
  let birthYear: number | null = null;
  if (rng.chance(0.85)) {
    const date = rng.chance(0.05)
      ? new Date(reference + rng.int(1, 29) * DAY)
      : new Date(Date.UTC(2001, 0, 1) + rng.int(0, 364) * DAY);
    birthMonth = date.getUTCMonth() + 1;
    birthDay = date.getUTCDate();
    birthYear = rng.chance(0.7) ? rng.int(1958, 1999) : null;
  }
  const kids = rng.int(1, 3);
  const ages = Array.from({ length: kids }, () => rng.int(2, 24)).sort((a, b) => a - b);
  // Facts not confirmed for over a year give the retention review something to do.
  const stale = rng.chance(0.3) && contactCreated < reference - 420 * DAY;
  const collected = stale
    ? rng.workday(contactCreated, reference - 400 * DAY)
    : rng.workday(Math.max(contactCreated, reference - 1100 * DAY), reference - 5 * DAY);
  const confirmed = stale
    ? rng.workday(collected, reference - 395 * DAY)
    : rng.workday(Math.max(collected, reference - 330 * DAY), reference - DAY);
  const informed = rng.chance(0.85) ? Math.min(confirmed, collected + rng.int(1, 30) * DAY) : null;
  return {
    contactId: contact.row.id,
    birthMonth,
    birthDay,
    birthYear,
    hobbies: rng.chance(0.85)
      ? sentenceCase(
          listing(
            rng.some(
              [
                "marathon running",
                "sailing",
                "golf",
                "road cycling",
                "chess",
                "collecting wine",
                "football (season ticket)",
                "photography",
                "gardening",
                "jazz piano",
                "mountain hiking",
                "cooking",
                "fishing",
                "vintage cars",
                "tennis",
                "choir singing",
              ],
              rng.int(1, 2),
            ),
          ),
        )
      : null,
    family: rng.chance(0.8)
      ? rng.pick([
          `Married, ${kids === 1 ? "one child" : `${kids} children`} (${ages.join(", ")})`,
          `Partner works in ${rng.pick(["a hospital", "a school", "a bank", "a law firm"])}; ${rng.pick(["a daughter", "a son"])} at university`,
          "Single; very close to a large family",
          `Divorced, shares custody of ${kids === 1 ? "one child" : `${kids} children`}`,
          `Recently became a ${contact.sex === "female" ? "grandmother" : "grandfather"}`,
          `Married; twins born in ${rng.int(2010, 2022)}`,
        ])
      : null,
    values: rng.chance(0.75)
      ? rng.pick([
          "Reliability over price",
          "Punctuality and straight talk",
          "Sustainability matters: ask about the CO₂ footprint",
          "Loyal to suppliers who helped during shortages",
          "Family first: no calls in the evening",
          "Wants to be seen as an innovator inside the company",
          "Fairness in negotiations; hates last-minute tricks",
        ])
      : null,
    notes: rng.chance(0.65)
      ? rng.pick([
          "Prefers meetings before 10:00.",
          "Vegetarian: choose restaurants accordingly.",
          "Dislikes small talk; come with numbers.",
          "Works from home on Fridays.",
          "Collects fountain pens: a good idea for a gift.",
          "Speaks good English but prefers the local language.",
          "Was promoted last year; keen to show results.",
        ])
      : null,
    source: rng.pick([
      "Met at trade fair",
      "LinkedIn profile",
      "Told us at lunch",
      "Mentioned during a business review",
      "Company newsletter",
      "Told our service technician",
      "Interview in the trade press",
    ]),
    collectedAt: new Date(collected),
    legalBasis: rng.oneOf<LegalBasis>({ LEGITIMATE_INTEREST: 85, CONSENT: 10, CONTRACT: 5 }),
    subjectInformedAt: informed === null ? null : new Date(informed),
    confirmedAt: new Date(confirmed),
    updatedAt: new Date(confirmed),
  };
}
