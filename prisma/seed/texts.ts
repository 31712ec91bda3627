/**
 * The static word lists of the demo seed: industries, markets, what the clients do and buy by
 * industry, sizes by revenue band, the competing suppliers, and a few helpers for writing prose.
 */
import { de, en, es, fr, pt_BR, pt_PT, ru, th } from "@faker-js/faker";
import type { RevenueBand } from "../generated/sqlite/client.ts";

export const industries = [
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
export type Industry = (typeof industries)[number];

/**
 * Where the demo clients are, with a faker locale for plausible company and person names, and what
 * the dossier needs locally: currency (and roughly how many units make a euro), phone format, cities.
 */
export const markets = [
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
export type Market = (typeof markets)[number];

export function sentenceCase(text: string) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function listing(values: string[]) {
  if (values.length <= 1) return values.join("");
  return `${values.slice(0, -1).join(", ")} and ${values[values.length - 1]}`;
}

// ---------------------------------------------------------------------------------------------
// What the demo clients do, buy and worry about, by industry.

export interface IndustryProfile {
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

export const industryProfiles: Record<Industry, IndustryProfile> = {
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

export const bandProfiles: Record<
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
export const supplierNames = [
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

export const competitorStrengths = [
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

export const competitorWeaknesses = [
  "Slow to handle complaints",
  "High turnover in their sales team",
  "Little technical support after the sale",
  "Long lead times on special items",
  "Quality issues reported last year",
  "Rigid payment terms",
  "No local presence; everything goes through head office",
  "Prices rise sharply after the first contract year",
];
