/**
 * Benchmark: the read path under HTTP load, the API against hand-written SQL. Not part of the
 * test suite.
 *
 *   npx tsx test/bench/read-path.bench.ts                        # SQLite, the demo data
 *   KAM_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres \
 *     npx tsx test/bench/read-path.bench.ts --database postgres  # a fresh database, dropped at the end
 *
 * Options: --database sqlite|postgres, --rounds N (3), --seconds N per measurement (5),
 * --connections N (8).
 *
 * It starts the real API process (`npm start`'s entry, NODE_ENV=production) on the demo data and,
 * next to it, a baseline process (read-path-baseline.ts) that answers the same operations with
 * hand-written SQL on the same driver over plain node:http, checking the token the same way.
 * Both answers are checked equal before anything is timed. Then, in each round, every operation
 * is driven by autocannon against the API and against the baseline in turn, so that a busy
 * machine slows them alike. It prints requests/s, p50 and p99 latency and the ratio API/baseline
 * (requests/s), the median over the rounds, and the API process's RSS after each round.
 *
 *   a) AccountsPage: 50 accounts with owner, contacts and competitors;
 *   b) KamDossierCard: the dossier card's query, as the widget sends it, for the first account (by
 *      name) whose dossier shows most of what the card can: contacts who report to others and
 *      contacts with personal facts (each shown logs its read, on both sides), competitors, sales
 *      in the segment window, and a risk reason (at risk: buying, but drifting away);
 *   c) Viewer: who is asking.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { isDeepStrictEqual, parseArgs } from "node:util";
import autocannon from "autocannon";
import { demoAdminEmail } from "../../prisma/seed/index.ts";
import { dossierQuery } from "../../widgets/src/client/operations/dossier.ts";
import { kamProcessTokenSecret, startKamProcess } from "../browser/support/kam-process.ts";
import { freePort } from "../support/network.ts";
import { benchDatabases, median } from "./support.ts";

const { values: args } = parseArgs({
  options: {
    database: { type: "string", default: "sqlite" },
    rounds: { type: "string", default: "3" },
    seconds: { type: "string", default: "5" },
    connections: { type: "string", default: "8" },
  },
});
const kind = args.database === "postgres" ? "postgres" : "sqlite";
const rounds = Number(args.rounds);
const seconds = Number(args.seconds);
const connections = Number(args.connections);

interface Operation {
  label: string;
  operationName: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Whether the baseline answers it. */
  baseline: boolean;
}

const accountsPage = `query AccountsPage { accounts(first: 50) { edges { node {
  id name owner { name }
  contacts { id name title decisionRole attitude influence }
  competitors { name threatLevel }
} } } }`;
const viewer = "query Viewer { viewer { kind user { id name } } }";

/** What the choice of the dossier's account looks at. */
interface DossierCandidate {
  id: string;
  name: string;
  competitors: { id: string }[];
  contacts: { reportsTo: { id: string } | null; personalFacts: { birthday: string | null } | null }[];
  segment: { noSalesInWindow: boolean } | null;
  risk: { status: string } | null;
}

function rssMegabytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kilobytes = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kilobytes / 102.4) / 10;
}

async function post(origin: string, operation: Operation, token: string) {
  const response = await fetch(`${origin}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: operation.query,
      operationName: operation.operationName,
      variables: operation.variables,
    }),
  });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: unknown[] } };
}

interface Measure {
  requests: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(origin: string, operation: Operation, token: string): Promise<Measure> {
  const result = await autocannon({
    url: `${origin}/graphql`,
    method: "POST",
    connections,
    duration: seconds,
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: operation.query,
      operationName: operation.operationName,
      variables: operation.variables,
    }),
  });
  return {
    requests: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

async function startBaseline(databaseUrl: string): Promise<{ origin: string; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "test/bench/read-path-baseline.ts", databaseUrl, String(port), kamProcessTokenSecret],
    { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, NODE_ENV: "production" } },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk) => {
      if (String(chunk).includes("baseline listening")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the baseline exited with ${code}`)));
  });
  return { origin: `http://127.0.0.1:${port}`, process: child };
}

const databases = benchDatabases(kind);
const databaseUrl = kind === "sqlite" ? undefined : await databases.migrated();
console.log(`Starting the API on the demo data (${kind}) …`);
const api = await startKamProcess(
  {
    // The benchmark is one caller asking as fast as it can: the per-caller limits would refuse it.
    KAM_RATE_LIMIT_REQUESTS: "1000000",
    KAM_RATE_LIMIT_BURST: "10000000",
  },
  databaseUrl ? { databaseUrl } : {},
);
const baseline = await startBaseline(api.databaseUrl);
try {
  const token = await api.tokenFor(demoAdminEmail, 24 * 3600);
  // The dossier's account: the first that has everything the check should cover, else the first.
  const { accounts } = await api.gql<{ accounts: { edges: { node: DossierCandidate }[] } }>(
    `{ accounts(first: 100) { edges { node { id name competitors { id }
      contacts { reportsTo { id } personalFacts { birthday } }
      segment { noSalesInWindow } risk { status } } } } }`,
    {},
    token,
  );
  const candidates = accounts.edges.map((edge) => edge.node);
  const dossierAccount =
    candidates.find(
      (account) =>
        account.competitors.length > 0 &&
        account.contacts.some((contact) => contact.reportsTo) &&
        account.contacts.some((contact) => contact.personalFacts) &&
        account.segment?.noSalesInWindow === false &&
        account.risk?.status === "AT_RISK",
    ) ?? candidates[0];
  console.log(`  b) is the dossier of ${dossierAccount?.name}`);
  const operations: Operation[] = [
    {
      label: "a) 50 accounts, owner, contacts, competitors",
      operationName: "AccountsPage",
      query: accountsPage,
      baseline: true,
    },
    {
      label: "b) the dossier card",
      operationName: "KamDossierCard",
      query: dossierQuery,
      variables: { id: dossierAccount?.id },
      baseline: true,
    },
    { label: "c) viewer", operationName: "Viewer", query: viewer, baseline: true },
  ];

  for (const operation of operations) {
    const fromApi = await post(api.origin, operation, token);
    if (fromApi.status !== 200 || fromApi.body.errors)
      throw new Error(`${operation.label}: ${JSON.stringify(fromApi.body)}`);
    if (!operation.baseline) continue;
    const fromBaseline = await post(baseline.origin, operation, token);
    const same = isDeepStrictEqual(fromApi.body, fromBaseline.body);
    console.log(`  ${operation.label}: baseline gives the API's answer: ${same ? "yes" : "NO"}`);
    if (!same) throw new Error(`${operation.label}: the baseline differs from the API`);
  }

  const measured = new Map<string, { api: Measure[]; baseline: Measure[] }>();
  for (const operation of operations) measured.set(operation.label, { api: [], baseline: [] });
  const memory: number[] = [rssMegabytes(api.pid)];
  console.log(`  API RSS before: ${memory[0]} MB`);
  for (let round = 1; round <= rounds; round += 1) {
    for (const operation of operations) {
      const entry = measured.get(operation.label) as { api: Measure[]; baseline: Measure[] };
      entry.api.push(await load(api.origin, operation, token));
      if (operation.baseline) entry.baseline.push(await load(baseline.origin, operation, token));
    }
    memory.push(rssMegabytes(api.pid));
    console.log(`  round ${round} of ${rounds} done; API RSS ${memory.at(-1)} MB`);
  }

  const figure = (values: Measure[]) => ({
    requests: median(values.map((value) => value.requests)),
    p50: median(values.map((value) => value.p50)),
    p99: median(values.map((value) => value.p99)),
    errors: values.reduce((sum, value) => sum + value.errors, 0),
  });
  console.log(
    `\n${kind}, ${connections} connections, ${seconds} s per measurement, median of ${rounds} alternating rounds:`,
  );
  for (const operation of operations) {
    const entry = measured.get(operation.label) as { api: Measure[]; baseline: Measure[] };
    const fromApi = figure(entry.api);
    console.log(`  ${operation.label}`);
    console.log(
      `    API       ${fromApi.requests.toFixed(0).padStart(6)} req/s   p50 ${fromApi.p50} ms   p99 ${fromApi.p99} ms${fromApi.errors ? `   ${fromApi.errors} errors` : ""}`,
    );
    if (!operation.baseline) {
      console.log("    baseline  (none for this operation)");
      continue;
    }
    const fromBaseline = figure(entry.baseline);
    console.log(
      `    baseline  ${fromBaseline.requests.toFixed(0).padStart(6)} req/s   p50 ${fromBaseline.p50} ms   p99 ${fromBaseline.p99} ms${fromBaseline.errors ? `   ${fromBaseline.errors} errors` : ""}`,
    );
    const ratios = entry.api.map(
      (value, index) => value.requests / (entry.baseline[index] as Measure).requests,
    );
    console.log(
      `    ratio     ${median(ratios).toFixed(2)} (rounds: ${ratios.map((ratio) => ratio.toFixed(2)).join(", ")})`,
    );
  }
  console.log(`  API RSS by round: ${memory.join(" → ")} MB`);
} finally {
  baseline.process.kill("SIGTERM");
  await api.stop();
  await databases.cleanUp();
}
