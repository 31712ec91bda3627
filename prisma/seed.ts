/**
 * Deterministic demo data: the same people, accounts and dossiers on every machine (fixed random
 * seeds, fixed reference date). Every account gets its general facts, a decision-making unit as an
 * org chart (personal facts for some of its members), two years of relationship history and the
 * competitors courting it, all within the rules the services enforce on the same data.
 */
import { de, en, es, Faker, fr, pt_BR, pt_PT, ru, th } from "@faker-js/faker";
import type { Db } from "../api/db/index.ts";
import { accountSortName } from "../api/services/accounts.ts";
import type {
  AccountEventKind,
  AccountStatus,
  Attitude,
  CharacterType,
  CompetitorPosition,
  ContactChannel,
  DecisionRole,
  LegalBasis,
  Prisma,
  RevenueBand,
  Satisfaction,
  ThreatLevel,
} from "./generated/sqlite/client.ts";

export const demoReferenceDate = new Date("2026-11-01T09:00:00Z");
export const demoAdminEmail = "admin@demo.kam";
export const demoViewerEmail = "viewer@demo.kam";

const industries = [
  "Manufacturing",
  "Retail",
  "Healthcare",
  "Logistics",
  "Energy",
  "Food & Beverage",
  "Construction",
  "Telecommunications",
  "Financial services",
  "Public sector",
  "Pharmaceuticals",
  "Automotive",
] as const;
type Industry = (typeof industries)[number];

/**
 * Where the demo clients are, with a faker locale for plausible company and person names, and what
 * the dossier needs locally: currency (and roughly how many units make a euro), phone format, cities.
 */
const markets = [
  {
    country: "FR",
    region: "Western Europe",
    locale: fr,
    weight: 5,
    countryName: "France",
    currency: "EUR",
    perEuro: 1,
    phone: "+33 # ## ## ## ##",
    messaging: 0,
    cities: ["Lyon", "Lille", "Nantes", "Toulouse", "Bordeaux", "Strasbourg", "Rennes", "Grenoble", "Rouen"],
  },
  {
    country: "DE",
    region: "Western Europe",
    locale: de,
    weight: 2,
    countryName: "Germany",
    currency: "EUR",
    perEuro: 1,
    phone: "+49 ### #######",
    messaging: 0,
    cities: ["Stuttgart", "Hamburg", "Munich", "Cologne", "Leipzig", "Dortmund", "Nuremberg", "Bremen"],
  },
  {
    country: "ES",
    region: "Southern Europe",
    locale: es,
    weight: 4,
    countryName: "Spain",
    currency: "EUR",
    perEuro: 1,
    phone: "+34 ### ### ###",
    messaging: 10,
    cities: ["Madrid", "Barcelona", "Valencia", "Seville", "Bilbao", "Zaragoza", "Málaga", "Valladolid"],
  },
  {
    country: "PT",
    region: "Southern Europe",
    locale: pt_PT,
    weight: 3,
    countryName: "Portugal",
    currency: "EUR",
    perEuro: 1,
    phone: "+351 ### ### ###",
    messaging: 10,
    cities: ["Lisbon", "Porto", "Braga", "Aveiro", "Coimbra", "Leiria", "Setúbal", "Guimarães"],
  },
  {
    country: "RU",
    region: "Eastern Europe",
    locale: ru,
    weight: 4,
    countryName: "Russia",
    currency: "RUB",
    perEuro: 95,
    phone: "+7 ### ###-##-##",
    messaging: 15,
    cities: [
      "Moscow",
      "Saint Petersburg",
      "Kazan",
      "Yekaterinburg",
      "Novosibirsk",
      "Samara",
      "Tyumen",
      "Perm",
    ],
  },
  {
    country: "TH",
    region: "South-East Asia",
    locale: th,
    weight: 3,
    countryName: "Thailand",
    currency: "THB",
    perEuro: 38,
    phone: "+66 # #### ####",
    messaging: 30,
    cities: ["Bangkok", "Chiang Mai", "Khon Kaen", "Nakhon Ratchasima", "Rayong", "Chonburi", "Hat Yai"],
  },
  {
    country: "BR",
    region: "Latin America",
    locale: pt_BR,
    weight: 3,
    countryName: "Brazil",
    currency: "BRL",
    perEuro: 6,
    phone: "+55 ## #####-####",
    messaging: 30,
    cities: ["São Paulo", "Curitiba", "Belo Horizonte", "Porto Alegre", "Campinas", "Joinville", "Recife"],
  },
  {
    country: "MX",
    region: "Latin America",
    locale: es,
    weight: 2,
    countryName: "Mexico",
    currency: "MXN",
    perEuro: 19,
    phone: "+52 ## #### ####",
    messaging: 25,
    cities: ["Monterrey", "Guadalajara", "Querétaro", "Puebla", "Mexico City", "Saltillo", "León"],
  },
  {
    country: "US",
    region: "North America",
    locale: en,
    weight: 2,
    countryName: "the United States",
    currency: "USD",
    perEuro: 1.1,
    phone: "+1 ###-###-####",
    messaging: 0,
    cities: ["Chicago", "Houston", "Columbus", "Atlanta", "Denver", "Charlotte", "Milwaukee", "Pittsburgh"],
  },
];
type Market = (typeof markets)[number];

const statusWeights: { value: AccountStatus; weight: number }[] = [
  { value: "ACTIVE", weight: 60 },
  { value: "PROSPECT", weight: 20 },
  { value: "AT_RISK", weight: 12 },
  { value: "LOST", weight: 8 },
];

export interface SeedSummary {
  users: number;
  accounts: number;
  contacts: number;
  personalFacts: number;
  events: number;
  competitors: number;
}

export async function seedDemoData(db: Db, options: { accounts?: number } = {}): Promise<SeedSummary> {
  const accountCount = options.accounts ?? 240;
  const faker = new Faker({ locale: [en] });
  faker.seed(20261122);
  faker.setDefaultRefDate(demoReferenceDate);
  const id = () => `c${faker.string.alphanumeric({ length: 24, casing: "lower" })}`;

  const people = [
    { id: id(), email: demoAdminEmail, name: "Ada Admin", role: "ADMIN" as const },
    { id: id(), email: demoViewerEmail, name: "Victor Viewer", role: "VIEWER" as const },
  ];
  const managers = Array.from({ length: 12 }, (_, index) => {
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    return {
      id: id(),
      email: `manager${String(index + 1).padStart(2, "0")}@demo.kam`,
      name: `${firstName} ${lastName}`,
      role: "MANAGER" as const,
    };
  });
  const users = [...people, ...managers].map((user) => ({
    ...user,
    createdAt: faker.date.past({ years: 3 }),
    updatedAt: demoReferenceDate,
  }));

  const usedNames = new Set<string>();
  const accountMarkets: Market[] = [];
  const accounts = Array.from({ length: accountCount }, (_, index) => {
    const market = faker.helpers.weightedArrayElement(
      markets.map((value) => ({ value, weight: value.weight })),
    );
    accountMarkets.push(market);
    const local = new Faker({ locale: [market.locale, en] });
    local.seed(1000 + index);
    let name = local.company.name();
    while (usedNames.has(name)) name = `${local.company.name()} ${local.location.city()}`;
    usedNames.add(name);
    const owner = managers[index % managers.length];
    const status = faker.helpers.weightedArrayElement(statusWeights);
    const createdAt = faker.date.past({ years: 6 });
    const slug = name
      .normalize("NFKD")
      .replace(/[^\w\s-]/g, "")
      .trim()
      .toLowerCase()
      .replace(/[\s_]+/g, "-")
      .slice(0, 40);
    return {
      id: id(),
      name,
      sortName: accountSortName(name),
      externalId: `ERP-${String(10_000 + index * 7).padStart(6, "0")}`,
      industry: faker.helpers.arrayElement(industries),
      region: market.region,
      country: market.country,
      website: slug ? `https://www.${slug}.example` : null,
      status,
      // About 9 key accounts per manager, as the articles describe; prospects are not key yet.
      isKeyAccount:
        status !== "PROSPECT" && status !== "LOST" && faker.datatype.boolean({ probability: 0.55 }),
      ownerId: owner?.id ?? null,
      createdAt,
      updatedAt: faker.date.between({ from: createdAt, to: demoReferenceDate }),
    };
  });

  const team = accounts.flatMap((account) => {
    const others = managers.filter((manager) => manager.id !== account.ownerId);
    const size = faker.helpers.weightedArrayElement([
      { value: 0, weight: 3 },
      { value: 1, weight: 5 },
      { value: 2, weight: 2 },
    ]);
    return faker.helpers.arrayElements(others, size).map((member) => ({
      accountId: account.id,
      userId: member.id,
      addedAt: account.createdAt,
    }));
  });

  // The dossiers come from a random stream of their own per account, so that the people and
  // accounts above stay what they were before dossiers existed.
  const usedDomains = new Set<string>();
  const fakers = new Map<Market["locale"], Faker>();
  const dossiers = accounts.map((account, index) =>
    buildDossier({
      account,
      market: accountMarkets[index] as Market,
      rng: new Rng(fakers, (accountMarkets[index] as Market).locale, 500_000 + index),
      otherAccounts: accounts,
      usedDomains,
    }),
  );
  const accountRows = accounts.map((account, index) => ({ ...account, ...dossiers[index]?.facts }));
  // Columns left null are left out (they default to null): Prisma's createMany takes time per value.
  // A manager is inserted before the people reporting to them: one statement per org-chart level.
  const contactLevels = [0, 1, 2].map((depth) =>
    dossiers.flatMap((dossier) => (dossier.contacts[depth] ?? []).map(withoutNulls)),
  );
  const personalFacts = dossiers.flatMap((dossier) => dossier.personalFacts.map(withoutNulls));
  const competitors = dossiers.flatMap((dossier) => dossier.competitors.map(withoutNulls));
  const events = dossiers.flatMap((dossier) => dossier.events.map(withoutNulls));

  await db.$transaction(
    async (tx) => {
      await tx.user.createMany({ data: users });
      await tx.account.createMany({ data: accountRows });
      await tx.accountTeamMember.createMany({ data: team });
      for (const level of contactLevels) await tx.contact.createMany({ data: level });
      await tx.contactPersonalFacts.createMany({ data: personalFacts });
      await tx.competitor.createMany({ data: competitors });
      await tx.accountEvent.createMany({ data: events });
    },
    { timeout: 60_000 },
  );
  return {
    users: users.length,
    accounts: accounts.length,
    contacts: contactLevels.reduce((sum, level) => sum + level.length, 0),
    personalFacts: personalFacts.length,
    events: events.length,
    competitors: competitors.length,
  };
}

// ---------------------------------------------------------------------------------------------
// Randomness and time.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const reference = demoReferenceDate.getTime();

class Rng {
  readonly f: Faker;

  /** One faker per locale, re-seeded for each account (building a localised faker takes a while). */
  constructor(fakers: Map<Market["locale"], Faker>, locale: Market["locale"], seed: number) {
    let f = fakers.get(locale);
    if (!f) {
      f = new Faker({ locale: [locale, en] });
      f.setDefaultRefDate(demoReferenceDate);
      fakers.set(locale, f);
    }
    f.seed(seed);
    this.f = f;
  }

  id() {
    return `c${this.f.string.alphanumeric({ length: 24, casing: "lower" })}`;
  }

  int(min: number, max: number) {
    return max <= min ? Math.round(min) : this.f.number.int({ min: Math.ceil(min), max: Math.floor(max) });
  }

  chance(probability: number) {
    return this.f.datatype.boolean({ probability: Math.min(1, Math.max(0, probability)) });
  }

  pick<T>(values: readonly T[]): T {
    return this.f.helpers.arrayElement(values);
  }

  some<T>(values: readonly T[], count: number): T[] {
    return this.f.helpers.arrayElements(values, Math.min(count, values.length));
  }

  oneOf<T extends string>(weights: Partial<Record<T, number>>): T {
    const entries = (Object.entries(weights) as [T, number][]).filter(([, weight]) => weight > 0);
    return this.f.helpers.weightedArrayElement(entries.map(([value, weight]) => ({ value, weight })));
  }

  weighted<T>(values: readonly T[], weight: (value: T) => number): T {
    const entries = values.map((value) => ({ value, weight: weight(value) })).filter((e) => e.weight > 0);
    return entries.length ? this.f.helpers.weightedArrayElement(entries) : this.pick(values);
  }

  /** An instant between two others, in office hours on a weekday where the range allows. */
  workday(from: number, to: number) {
    if (to <= from) return from;
    const day = Math.floor(this.int(from, to) / DAY) * DAY;
    const weekday = new Date(day).getUTCDay();
    const shift = weekday === 6 ? 1 : weekday === 0 ? 2 : 0;
    let at = day - shift * DAY + this.int(7 * 4, 17 * 4) * 15 * 60_000;
    if (at < from && at + DAY <= to) at += DAY;
    if (at > to && at - DAY >= from) at -= DAY;
    return Math.min(to, Math.max(from, at));
  }

  /** An amount in cents precision. */
  amount(min: number, max: number) {
    return this.int(min * 100, max * 100) / 100;
  }
}

function withoutNulls<T extends object>(row: T): T {
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null)) as T;
}

function sentenceCase(text: string) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function listing(values: string[]) {
  if (values.length <= 1) return values.join("");
  return `${values.slice(0, -1).join(", ")} and ${values[values.length - 1]}`;
}

// ---------------------------------------------------------------------------------------------
// What the demo clients do, buy and worry about, by industry.

interface IndustryProfile {
  /** Completes "<name> …". */
  activities: string[];
  /** What such a client buys from us or our competitors. */
  buys: string[];
  trends: string[];
  sites: string;
  site: string;
  operationsHead: string;
  operationsStaff: string[];
  technicalHead: string;
}

const industryProfiles: Record<Industry, IndustryProfile> = {
  Manufacturing: {
    activities: [
      "makes precision-machined components for aerospace and rail customers",
      "builds packaging machinery for food and cosmetics brands",
      "produces injection-moulded plastic parts for household appliances",
      "manufactures industrial pumps and valves for water utilities",
      "makes steel enclosures and cabinets for electrical installations",
      "produces technical textiles for filtration and insulation",
    ],
    buys: [
      "spare parts for CNC machines",
      "industrial lubricants",
      "cutting tools",
      "preventive maintenance contracts",
      "compressed-air systems",
      "personal protective equipment",
      "condition-monitoring sensors",
    ],
    trends: [
      "Energy prices squeeze margins while customers ask for shorter lead times.",
      "Reshoring from Asia brings volume back, but skilled labour is scarce.",
      "Automation and predictive maintenance top the investment agenda.",
      "Large customers demand CO₂ figures per part from next year on.",
      "Asian competitors undercut prices on standard parts by 15 to 20%.",
    ],
    sites: "plants",
    site: "plant",
    operationsHead: "Plant Manager",
    operationsStaff: ["Production Supervisor", "Maintenance Lead", "Shift Leader"],
    technicalHead: "Technical Director",
  },
  Retail: {
    activities: [
      "runs a chain of DIY and garden stores",
      "operates regional supermarkets with a strong fresh-food offer",
      "sells sportswear and outdoor equipment in stores and online",
      "runs consumer-electronics stores in city centres and retail parks",
      "operates a network of pharmacies and beauty stores",
    ],
    buys: [
      "shop fittings and shelving",
      "store refrigeration service",
      "point-of-sale hardware",
      "packaging and carrier bags",
      "cleaning and hygiene supplies",
      "LED lighting retrofits",
      "electronic shelf labels",
    ],
    trends: [
      "Online sales keep growing; stores turn into pick-up and service points.",
      "Discounters take share in every price-sensitive category.",
      "Rising rents push the chain towards smaller city-centre formats.",
      "Shoppers expect same-day delivery and free returns.",
      "The energy use of stores has become a board-level KPI.",
    ],
    sites: "stores",
    site: "store",
    operationsHead: "Head of Store Operations",
    operationsStaff: ["Store Manager", "Regional Area Manager", "Logistics Coordinator"],
    technicalHead: "Head of Facilities",
  },
  Healthcare: {
    activities: [
      "runs private hospitals and outpatient clinics",
      "operates a network of diagnostic laboratories",
      "runs nursing homes and home-care services",
      "operates a cardiac clinic affiliated with the university hospital",
    ],
    buys: [
      "disposable surgical kits",
      "sterilisation consumables",
      "service contracts for imaging equipment",
      "patient-monitoring devices",
      "hospital beds and mattresses",
      "laboratory reagents",
    ],
    trends: [
      "Public reimbursement rates are frozen while wages rise.",
      "Staff shortages drive investment in automation and hospital logistics.",
      "Group purchasing organisations gain weight in tenders.",
      "Regulators tighten traceability rules for medical devices.",
      "An ageing population keeps demand growing by 3 to 4% a year.",
    ],
    sites: "hospitals and clinics",
    site: "hospital",
    operationsHead: "Director of Clinical Operations",
    operationsStaff: ["Head Nurse", "Ward Manager", "Biomedical Technician"],
    technicalHead: "Head of Biomedical Engineering",
  },
  Logistics: {
    activities: [
      "runs contract-logistics warehouses for retail and e-commerce",
      "operates a road-freight fleet of refrigerated trucks",
      "provides port handling and customs brokerage",
      "runs last-mile parcel delivery in large cities",
    ],
    buys: [
      "forklift trucks and their service",
      "warehouse racking",
      "fleet telematics",
      "pallets and packaging",
      "tyres and fleet maintenance",
      "handheld scanners",
    ],
    trends: [
      "The driver shortage and higher tolls raise the cost per kilometre.",
      "E-commerce volumes call for automated warehouses.",
      "Shippers require electric vans for city deliveries.",
      "Freight rates fell after the 2022 peak and margins are thin.",
      "Near-shoring creates new flows from North Africa and Eastern Europe.",
    ],
    sites: "warehouses",
    site: "warehouse",
    operationsHead: "Head of Fleet & Warehousing",
    operationsStaff: ["Warehouse Manager", "Fleet Supervisor", "Dispatcher"],
    technicalHead: "Head of Engineering",
  },
  Energy: {
    activities: [
      "operates wind and solar parks",
      "distributes gas and electricity to regional customers",
      "runs a combined-cycle power plant and a district-heating grid",
      "develops and services battery-storage sites",
    ],
    buys: [
      "transformer maintenance",
      "cables and switchgear",
      "drone inspection services",
      "safety equipment for field crews",
      "SCADA upgrades",
      "spare parts for turbines",
    ],
    trends: [
      "Queues for grid connections slow down new projects.",
      "Volatile wholesale prices make budgets hard to plan.",
      "The regulator pushes for faster digitalisation of the grid.",
      "Skilled field technicians are hard to hire.",
      "Support schemes move from feed-in tariffs to auctions.",
    ],
    sites: "sites",
    site: "site",
    operationsHead: "Head of Asset Operations",
    operationsStaff: ["Site Supervisor", "Field Service Lead", "Control Room Engineer"],
    technicalHead: "Chief Technical Officer",
  },
  "Food & Beverage": {
    activities: [
      "produces dairy products and fresh desserts for supermarkets",
      "brews beer and soft drinks for the domestic market",
      "makes frozen bakery products for the food-service trade",
      "processes and packs fruit juices and purées",
      "produces charcuterie and ready meals",
    ],
    buys: [
      "food-grade lubricants",
      "cleaning-in-place chemicals",
      "packaging films",
      "cold-chain monitoring",
      "spare parts for filling lines",
      "hygienic conveyor belts",
    ],
    trends: [
      "Retailers press for price cuts while raw-material costs rise.",
      "Demand shifts to plant-based and low-sugar products.",
      "Packaging must become recyclable under the new EU rules.",
      "Energy-intensive processes suffer from gas prices.",
      "Exports to Asia and the Middle East are growing.",
    ],
    sites: "plants",
    site: "plant",
    operationsHead: "Production Director",
    operationsStaff: ["Line Manager", "Quality Technician", "Maintenance Supervisor"],
    technicalHead: "Engineering Manager",
  },
  Construction: {
    activities: [
      "builds residential and office buildings",
      "specialises in civil engineering: bridges, tunnels and roads",
      "installs heating, ventilation and electrical systems in large buildings",
      "produces precast concrete elements",
    ],
    buys: [
      "equipment rental",
      "power tools and consumables",
      "site safety equipment",
      "formwork systems",
      "site containers and fencing",
      "surveying instruments",
    ],
    trends: [
      "Higher interest rates slowed residential orders.",
      "Public infrastructure programmes keep civil engineering busy.",
      "Energy-renovation rules create a large retrofit market.",
      "Subcontractor capacity is tight and material prices stay volatile.",
      "Most public tenders now require BIM.",
    ],
    sites: "regional agencies",
    site: "agency",
    operationsHead: "Head of Site Operations",
    operationsStaff: ["Site Manager", "Works Supervisor", "Equipment Manager"],
    technicalHead: "Technical Director",
  },
  Telecommunications: {
    activities: [
      "operates a fibre network for business and residential customers",
      "runs a regional mobile network and two data centres",
      "installs and maintains telecom towers",
      "provides managed network services to enterprises",
    ],
    buys: [
      "fibre-optic cable and connectors",
      "network equipment maintenance",
      "backup batteries for sites",
      "field-service tools",
      "data-centre cooling service",
      "splicing equipment",
    ],
    trends: [
      "Fibre roll-out deadlines under the national broadband plan.",
      "A price war on mobile plans squeezes revenue per user.",
      "The network's energy bill is a growing share of operating costs.",
      "Consolidation: two competitors merged last year.",
      "5G investments compete with fibre for the same budget.",
    ],
    sites: "regional hubs",
    site: "hub",
    operationsHead: "Network Operations Director",
    operationsStaff: ["Field Operations Manager", "NOC Team Lead", "Deployment Coordinator"],
    technicalHead: "Chief Technology Officer",
  },
  "Financial services": {
    activities: [
      "is a regional bank serving small businesses and farmers",
      "insures vehicle fleets and commercial property",
      "provides leasing and equipment financing",
      "is a mutual insurer with a network of branch offices",
    ],
    buys: [
      "branch furniture and refurbishment",
      "IT hardware and managed printing",
      "secure document handling",
      "office supplies",
      "facility services",
      "security systems",
    ],
    trends: [
      "The branch network shrinks as customers move to mobile banking.",
      "Regulatory reporting on operational resilience drives IT spending.",
      "Higher rates improved margins but loan demand slowed.",
      "Online banks attract younger customers.",
      "A cost programme targets 10% less overhead within two years.",
    ],
    sites: "branches",
    site: "branch",
    operationsHead: "Chief Operating Officer",
    operationsStaff: ["Branch Network Manager", "Facilities Coordinator", "Procurement Analyst"],
    technicalHead: "Chief Information Officer",
  },
  "Public sector": {
    activities: [
      "is a regional authority responsible for schools and roads",
      "is a municipal utility for water and waste",
      "runs the public hospitals of a metropolitan area",
      "is a public transport authority running buses and trams",
    ],
    buys: [
      "road maintenance materials",
      "school furniture",
      "vehicle fleet maintenance",
      "cleaning services",
      "IT equipment",
      "street lighting",
    ],
    trends: [
      "Budgets are tight and every purchase above the threshold goes to public tender.",
      "Political pressure favours local suppliers and green criteria.",
      "Elections next year may change priorities.",
      "Digital citizen services are the flagship programme.",
      "Framework agreements through central purchasing bodies gain ground.",
    ],
    sites: "service centres",
    site: "service centre",
    operationsHead: "Director of Services",
    operationsStaff: ["Head of Roads", "Fleet Manager", "Procurement Officer"],
    technicalHead: "Head of Technical Services",
  },
  Pharmaceuticals: {
    activities: [
      "develops and manufactures generic medicines",
      "produces active pharmaceutical ingredients for other drug makers",
      "makes over-the-counter medicines and food supplements",
      "runs contract manufacturing of sterile injectables",
    ],
    buys: [
      "cleanroom consumables",
      "validated spare parts",
      "laboratory instrument service",
      "stainless-steel process equipment",
      "temperature-controlled packaging",
      "calibration services",
    ],
    trends: [
      "Price controls on generics keep margins thin.",
      "Governments want the production of active ingredients back in Europe.",
      "Inspections are more frequent and data integrity is scrutinised.",
      "Biosimilars open a new growth segment.",
      "Sterile manufacturing capacity is sold out for two years.",
    ],
    sites: "plants",
    site: "plant",
    operationsHead: "Head of Manufacturing",
    operationsStaff: ["Production Manager", "QA Specialist", "Validation Engineer"],
    technicalHead: "Head of Engineering",
  },
  Automotive: {
    activities: [
      "supplies seats and interior parts to car makers",
      "makes brake components for trucks and buses",
      "produces wiring harnesses for electric vehicles",
      "runs dealerships and workshops for several brands",
    ],
    buys: [
      "assembly tools and torque wrenches",
      "industrial adhesives",
      "robot maintenance",
      "returnable packaging",
      "measurement and test equipment",
      "workshop equipment",
    ],
    trends: [
      "The shift to electric vehicles changes the parts mix.",
      "Car makers demand price reductions of 2 to 3% a year.",
      "The chip shortage is over but volumes stay volatile.",
      "Chinese brands enter the market with aggressive prices.",
      "CO₂ reporting across the supply chain becomes mandatory.",
    ],
    sites: "plants",
    site: "plant",
    operationsHead: "Plant Manager",
    operationsStaff: ["Production Supervisor", "Logistics Planner", "Process Engineer"],
    technicalHead: "Head of Engineering",
  },
};

const bandProfiles: Record<
  RevenueBand,
  {
    employees: [number, number];
    founded: [number, number];
    deliveryEur: [number, number];
    sites: [number, number];
  }
> = {
  UNDER_1M: { employees: [4, 15], founded: [1988, 2021], deliveryEur: [800, 6_000], sites: [1, 1] },
  FROM_1M_TO_10M: { employees: [12, 90], founded: [1960, 2018], deliveryEur: [2_000, 20_000], sites: [1, 2] },
  FROM_10M_TO_50M: {
    employees: [60, 380],
    founded: [1930, 2012],
    deliveryEur: [6_000, 60_000],
    sites: [1, 4],
  },
  FROM_50M_TO_250M: {
    employees: [250, 1_600],
    founded: [1900, 2005],
    deliveryEur: [15_000, 140_000],
    sites: [2, 8],
  },
  FROM_250M_TO_1B: {
    employees: [1_200, 6_500],
    founded: [1880, 1998],
    deliveryEur: [40_000, 300_000],
    sites: [3, 15],
  },
  OVER_1B: {
    employees: [5_000, 85_000],
    founded: [1850, 1990],
    deliveryEur: [60_000, 400_000],
    sites: [8, 40],
  },
};

/** Other suppliers that court the demo clients. */
const supplierNames = [
  "Nordvik Industrial Supply",
  "Atlas Procure",
  "Brennan & Cole",
  "Kestrel Components",
  "Vantor Group",
  "Meridian Technical",
  "Orbis Distribution",
  "Halden & Partners",
  "Provia Solutions",
  "Castellan Group",
  "Stratum Supply",
  "Ferrox Industrial",
  "Altavia Services",
  "Norland Trading",
  "Sigma Procure",
  "Bluecrest Systems",
];

const competitorStrengths = [
  "Lowest list prices in the market",
  "Local stock and next-day delivery",
  "Long relationship with the technical director",
  "Broad catalogue: a one-stop shop",
  "Dense service network with short response times",
  "Convenient online ordering portal",
  "Offers leasing and deferred payment",
  "Strong references in the sector",
  "Engineers on site during start-ups",
];

const competitorWeaknesses = [
  "Slow to handle complaints",
  "High turnover in their sales team",
  "Little technical support after the sale",
  "Long lead times on special items",
  "Quality issues reported last year",
  "Rigid payment terms",
  "No local presence; everything goes through head office",
  "Prices rise sharply after the first contract year",
];

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

/** Thai names with the romanisation people use in their e-mail addresses. */
const thaiNames: Record<"male" | "female" | "last", [string, string][]> = {
  male: [
    ["สมชาย", "Somchai"],
    ["สมศักดิ์", "Somsak"],
    ["ประเสริฐ", "Prasert"],
    ["วิชัย", "Wichai"],
    ["อนันต์", "Anan"],
    ["ชัยวัฒน์", "Chaiwat"],
    ["กิตติศักดิ์", "Kittisak"],
    ["ณัฐพงษ์", "Nattapong"],
    ["ธนากร", "Thanakorn"],
    ["สุรชัย", "Surachai"],
  ],
  female: [
    ["สุดารัตน์", "Sudarat"],
    ["ศิริพร", "Siriporn"],
    ["มาลี", "Malee"],
    ["รัตนา", "Rattana"],
    ["กนกวรรณ", "Kanokwan"],
    ["วนิดา", "Wanida"],
    ["สุภาพร", "Supaporn"],
    ["อรทัย", "Orathai"],
    ["จินตนา", "Jintana"],
    ["นฤมล", "Naruemon"],
  ],
  last: [
    ["ศรีสุข", "Srisuk"],
    ["วงศ์สวัสดิ์", "Wongsawat"],
    ["รัตนกุล", "Rattanakul"],
    ["ทองดี", "Thongdee"],
    ["บุญมี", "Boonmee"],
    ["แก้วมณี", "Kaewmanee"],
    ["เจริญสุข", "Charoensuk"],
    ["สุขสวัสดิ์", "Suksawat"],
    ["ศรีวงศ์", "Sriwong"],
    ["จันทร์เพ็ญ", "Chanphen"],
    ["มีสุข", "Meesuk"],
    ["พึ่งบุญ", "Phuengboon"],
  ],
};

const cyrillic: Record<string, string> = Object.fromEntries(
  [
    ..."а:a б:b в:v г:g д:d е:e ё:e ж:zh з:z и:i й:y к:k л:l м:m н:n о:o п:p р:r с:s т:t у:u ф:f".split(" "),
    ..."х:kh ц:ts ч:ch ш:sh щ:shch ъ: ы:y ь: э:e ю:yu я:ya".split(" "),
  ].map((pair) => pair.split(":") as [string, string]),
);

/** Lower-case ASCII letters, digits and hyphens, for e-mail addresses and domains. */
function asciiSlug(text: string) {
  return text
    .toLowerCase()
    .replace(/[а-яё]/g, (letter) => cyrillic[letter] ?? "")
    .replace(/ß/g, "ss")
    .replace(/æ/g, "ae")
    .replace(/œ/g, "oe")
    .replace(/ø/g, "o")
    .replace(/ł/g, "l")
    .normalize("NFKD")
    .replace(/[^a-z0-9\s-]/g, "")
    .trim()
    .replace(/[\s-]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

// ---------------------------------------------------------------------------------------------
// One account's dossier.

interface SeedAccount {
  id: string;
  name: string;
  industry: Industry;
  website: string | null;
  status: AccountStatus;
  isKeyAccount: boolean;
  createdAt: Date;
}

interface SeedContact {
  row: Prisma.ContactCreateManyInput & { id: string };
  level: number;
  post: string;
  sex: "female" | "male";
}

type EventRow = Prisma.AccountEventCreateManyInput & { id: string; occurredAt: Date };

function buildDossier({
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

function emailDomain(account: SeedAccount, rng: Rng, used: Set<string>) {
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

function buildOrgChart({
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

function buildPersonalFacts(rng: Rng, contact: SeedContact): Prisma.ContactPersonalFactsCreateManyInput {
  const contactCreated = (contact.row.createdAt as Date).getTime();
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
