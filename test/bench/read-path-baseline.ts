/**
 * The read-path benchmark's baseline: the same answers as the API for the benchmark's operations,
 * from hand-written SQL on the same driver (better-sqlite3 for SQLite, pg for PostgreSQL) over
 * plain `node:http`. It checks the bearer token as the API does (the same JWT check and one
 * statement for the person), then runs one prepared statement per level of the answer.
 *
 * Run by test/bench/read-path.bench.ts as a child process:
 *   node --import tsx test/bench/read-path-baseline.ts <database-url> <port> <token-secret>
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import Database from "better-sqlite3";
import pg from "pg";
import { verifyUserToken } from "../../api/auth/user-tokens.ts";
import { sqliteFilePath } from "../../api/db/index.ts";
import { encodeGlobalId } from "../../api/global-id.ts";

const [databaseUrl, portText, secretText] = process.argv.slice(2) as [string, string, string];
const secret = new TextEncoder().encode(secretText);
const postgres = databaseUrl.startsWith("postgres");

type Row = Record<string, unknown>;
type Query = (sql: string, parameters: unknown[]) => Promise<Row[]>;

/** One prepared statement per SQL text; the page's IDs are bound as one JSON array or one array. */
function queries(): Query {
  if (postgres) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 8 });
    // Prepared once per connection under a short name (PostgreSQL keeps 63 characters of it).
    const names = new Map<string, string>();
    return async (sql, parameters) => {
      let name = names.get(sql);
      if (!name) {
        name = `baseline_${names.size}`;
        names.set(sql, name);
      }
      return (await pool.query({ name, text: sql, values: parameters })).rows;
    };
  }
  const db = new Database(sqliteFilePath(databaseUrl), { readonly: true });
  const prepared = new Map<string, Database.Statement>();
  return async (sql, parameters) => {
    let statement = prepared.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      prepared.set(sql, statement);
    }
    return statement.all(...parameters) as Row[];
  };
}

const query = queries();
const param = (index: number) => (postgres ? `$${index}` : "?");
/** Membership in the bound list of IDs. */
const inIds = (column: string) =>
  postgres ? `${column} = ANY(${param(1)})` : `${column} IN (SELECT value FROM json_each(?))`;
const ids = (list: string[]) => (postgres ? list : JSON.stringify(list));

const userSql = `SELECT "id", "name", "deactivatedAt" FROM "User" WHERE "id" = ${param(1)}`;
const pageSql = `SELECT a."id", a."name", u."name" AS "ownerName"
  FROM "Account" a LEFT JOIN "User" u ON u."id" = a."ownerId"
  WHERE a."archivedAt" IS NULL ORDER BY a."sortName" ASC, a."id" ASC LIMIT 50`;
const contactsSql = `SELECT "id", "accountId", "name", "title", "decisionRole", "attitude", "influence"
  FROM "Contact" WHERE ${inIds(`"accountId"`)} ORDER BY "influence" DESC, "name" ASC, "id" ASC`;
const competitorsSql = `SELECT "accountId", "name", "threatLevel" FROM "Competitor" WHERE ${inIds(`"accountId"`)}
  ORDER BY CASE "threatLevel" WHEN 'HIGH' THEN 0 WHEN 'MEDIUM' THEN 1 ELSE 2 END, "name" ASC, "id" ASC`;

/** The person a bearer token names, as the API checks it; null when refused. */
async function viewerOf(request: IncomingMessage): Promise<Row | null> {
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
  if (!token) return null;
  try {
    const [user] = await query(userSql, [await verifyUserToken(secret, token)]);
    return user && !user.deactivatedAt ? user : null;
  } catch {
    return null;
  }
}

function groupBy(rows: Row[]): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = row.accountId as string;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

async function accountsPage() {
  const page = await query(pageSql, []);
  const pageIds = ids(page.map((row) => row.id as string));
  const [contacts, competitors] = await Promise.all([
    query(contactsSql, [pageIds]).then(groupBy),
    query(competitorsSql, [pageIds]).then(groupBy),
  ]);
  return {
    accounts: {
      edges: page.map((account) => ({
        node: {
          id: encodeGlobalId("Account", account.id as string),
          name: account.name,
          owner: account.ownerName === null ? null : { name: account.ownerName },
          contacts: (contacts.get(account.id as string) ?? []).map((contact) => ({
            id: encodeGlobalId("Contact", contact.id as string),
            name: contact.name,
            title: contact.title,
            decisionRole: contact.decisionRole,
            attitude: contact.attitude,
            influence: Number(contact.influence),
          })),
          competitors: (competitors.get(account.id as string) ?? []).map((competitor) => ({
            name: competitor.name,
            threatLevel: competitor.threatLevel,
          })),
        },
      })),
    },
  };
}

const operations: Record<string, (viewer: Row) => Promise<unknown>> = {
  AccountsPage: () => accountsPage(),
  Viewer: async (viewer) => ({
    viewer: { kind: "USER", user: { id: encodeGlobalId("User", viewer.id as string), name: viewer.name } },
  }),
};

function send(response: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

const server = createServer(async (request, response) => {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const { operationName } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
      operationName?: string;
    };
    const viewer = await viewerOf(request);
    if (!viewer) return send(response, 401, { errors: [{ message: "unauthenticated" }] });
    const operation = operations[operationName ?? ""];
    if (!operation) return send(response, 400, { errors: [{ message: `no baseline for ${operationName}` }] });
    send(response, 200, { data: await operation(viewer) });
  } catch (error) {
    send(response, 500, { errors: [{ message: String(error) }] });
  }
});
server.keepAliveTimeout = 60_000;
server.listen(Number(portText), "127.0.0.1", () => console.log("baseline listening"));
