/** `npm run kam -- <command>`: operator commands that work on the configured database. */
import { Command, InvalidArgumentError } from "commander";
import { Prisma } from "../prisma/generated/sqlite/client.ts";
import { demoAdminEmail, seedDemoData } from "../prisma/seed/index.ts";
import { seedScaleData } from "../prisma/seed/scale.ts";
import { createApiKey, revokeApiKey } from "./auth/api-keys.ts";
import { apiKeyScopes } from "./auth/principal.ts";
import { parseTtl, resolveTokenSecret, signUserToken } from "./auth/user-tokens.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { openDatabase } from "./db/index.ts";
import { applyMigrations, MigrationError } from "./db/migrate.ts";
import { KamError, ValidationError } from "./errors.ts";
import { actingAs, operatorContext } from "./operator-context.ts";
import {
  findImportPrincipal,
  formatSummary,
  importSalesFile,
  SalesFileImportInterruptedError,
  salesFileColumns,
} from "./sales-import-file.ts";
import { maxLinesPerImport } from "./services/sales-ledger.ts";
import { activateUser, createUser, deactivateUser, findUserByEmail, roles } from "./services/users.ts";
import { checkDatabase, failureReport, StartupError } from "./startup.ts";

async function context(migrate: boolean) {
  const config = loadConfig();
  await checkDatabase(config.databaseUrl);
  if (migrate) applyMigrations(config.databaseUrl);
  const db = openDatabase(config.databaseUrl);
  return { config, db, operator: operatorContext(db) };
}

/** Runs a command on the configured database; only `seed` migrates first, the rest assume `npm start` or `migrate` did. */
async function run(
  action: (ctx: Awaited<ReturnType<typeof context>>) => Promise<void>,
  options = { migrate: false },
) {
  const ctx = await context(options.migrate);
  try {
    await action(ctx);
  } finally {
    await ctx.db.close();
  }
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1) throw new InvalidArgumentError("must be a whole number above 0");
  return number;
}

const program = new Command("kam").description("KAM operator commands").showHelpAfterError();

program
  .command("token")
  .description("print a signed user token for a person")
  .requiredOption("--email <email>", "the person's e-mail")
  .option("--ttl <duration>", "how long it is valid: 30m, 8h, 7d …", "8h")
  .action((options: { email: string; ttl: string }) =>
    run(async ({ config, operator }) => {
      const ttl = parseTtl(options.ttl);
      const user = await findUserByEmail(operator, options.email);
      if (user.deactivatedAt)
        throw new ValidationError([
          {
            path: "email",
            message: `${user.email} is deactivated; npm run kam -- user activate --email ${user.email}`,
          },
        ]);
      const token = await signUserToken(resolveTokenSecret(config.tokenSecret, config.dataDir), user.id, ttl);
      console.log(token);
    }),
  );

const scopeList = (value: string) => {
  const scopes = value.split(",").map((scope) => scope.trim());
  const unknown = scopes.filter((scope) => !(apiKeyScopes as readonly string[]).includes(scope));
  if (unknown.length)
    throw new InvalidArgumentError(`unknown scope ${unknown.join(", ")}; use ${apiKeyScopes.join(", ")}`);
  return scopes;
};

const apiKey = program.command("api-key").description("manage API keys for integrations");
apiKey
  .command("create")
  .description("create a key and print it once")
  .requiredOption("--name <name>", "what the key is for")
  .requiredOption("--scopes <list>", `comma-separated: ${apiKeyScopes.join(", ")}`, scopeList)
  .option("--expires <iso-date>", "when it stops working")
  .action((options: { name: string; scopes: string[]; expires?: string }) =>
    run(async ({ operator }) => {
      const expiresAt = options.expires ? new Date(options.expires) : undefined;
      if (expiresAt && Number.isNaN(expiresAt.getTime())) {
        throw new ValidationError([{ path: "expires", message: "must be a date such as 2027-06-30" }]);
      }
      const { apiKey: key, secret } = await createApiKey(operator, {
        name: options.name,
        scopes: options.scopes,
        expiresAt,
      });
      console.error(
        `API key ${key.id} "${key.name}" with scopes ${key.scopes}. Store it now: it is not shown again.`,
      );
      console.log(secret);
    }),
  );
apiKey
  .command("revoke <id>")
  .description("revoke a key at once")
  .action((id: string) =>
    run(async ({ operator }) => {
      const key = await revokeApiKey(operator, id);
      console.log(`revoked ${key.id} "${key.name}" at ${key.revokedAt?.toISOString()}`);
    }),
  );
apiKey
  .command("list")
  .description("list keys (never their secrets)")
  .action(() =>
    run(async ({ db }) => {
      const keys = await db.prisma.apiKey.findMany({ orderBy: { createdAt: "asc" } });
      for (const key of keys) {
        const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : "active";
        console.log(`${key.id}  ${key.prefix}…  ${key.name}  [${key.scopes}]  ${state}`);
      }
    }),
  );

const user = program.command("user").description("manage people");
user
  .command("create")
  .description("add a person")
  .requiredOption("--email <email>", "e-mail, used to sign in")
  .requiredOption("--role <role>", roles.join(", "))
  .option("--name <name>", "full name (defaults to the e-mail's local part)")
  .action((options: { email: string; role: string; name?: string }) =>
    run(async ({ operator }) => {
      const created = await createUser(operator, {
        email: options.email,
        name: options.name ?? options.email.split("@")[0] ?? options.email,
        role: options.role.toUpperCase() as (typeof roles)[number],
      });
      console.log(`created ${created.role} ${created.email} (${created.id})`);
    }),
  );
user
  .command("deactivate")
  .description("stop a person's tokens from working (their records stay)")
  .requiredOption("--email <email>", "the person's e-mail")
  .action((options: { email: string }) =>
    run(async ({ operator }) => {
      const person = await deactivateUser(operator, options.email);
      console.log(`deactivated ${person.email} at ${person.deactivatedAt?.toISOString()}`);
    }),
  );
user
  .command("activate")
  .description("let a deactivated person's tokens work again")
  .requiredOption("--email <email>", "the person's e-mail")
  .action((options: { email: string }) =>
    run(async ({ operator }) => {
      const person = await activateUser(operator, options.email);
      console.log(`${person.email} is active`);
    }),
  );
user
  .command("list")
  .description("list people, the deactivated ones marked")
  .action(() =>
    run(async ({ db }) => {
      for (const person of await db.prisma.user.findMany({ orderBy: [{ role: "asc" }, { email: "asc" }] })) {
        const state = person.deactivatedAt
          ? `deactivated ${person.deactivatedAt.toISOString().slice(0, 10)}`
          : "active";
        console.log(`${person.role.padEnd(8)} ${person.email.padEnd(28)} ${state.padEnd(22)} ${person.name}`);
      }
    }),
  );

program
  .command("seed")
  .description(
    "load data into an empty database: the demo data, or with --months/--lines generated scale data for benchmarks",
  )
  .option("--accounts <n>", "number of accounts (demo: 240)", positiveInteger)
  .option("--months <n>", "scale data: months of sales, ending last month", positiveInteger)
  .option("--lines <n>", "scale data: invoice lines in all", positiveInteger)
  .action((options: { accounts?: number; months?: number; lines?: number }) =>
    run(
      async ({ db }) => {
        if ((await db.prisma.user.count()) > 0) {
          throw new ValidationError([
            { path: "database", message: "already has data; seed an empty database" },
          ]);
        }
        if (options.months !== undefined || options.lines !== undefined) {
          const summary = await seedScaleData(db, {
            accounts: options.accounts ?? 10_000,
            months: options.months ?? 24,
            lines: options.lines ?? 1_000_000,
          });
          console.error(`Get an admin token: npm run kam -- token --email ${summary.adminEmail}`);
          console.log(JSON.stringify(summary));
          return;
        }
        const summary = await seedDemoData(db, {
          accounts: options.accounts ?? 240,
          asOf: new Date(),
        });
        console.log(`seeded ${summary.accounts} accounts and ${summary.users} people`);
        console.log(`Get an admin token: npm run kam -- token --email ${demoAdminEmail}`);
      },
      { migrate: true },
    ),
  );

const batchSize = (value: string) => {
  const size = Number(value);
  if (!/^\d+$/.test(value) || size < 1 || size > maxLinesPerImport) {
    throw new InvalidArgumentError(`use a whole number from 1 to ${maxLinesPerImport}`);
  }
  return size;
};

program
  .command("import-sales <file>")
  .description("import invoice lines from a CSV file of any size, streamed in batches")
  .option("--batch-size <n>", `lines per transaction, 1-${maxLinesPerImport}`, batchSize, maxLinesPerImport)
  .addHelpText(
    "after",
    `
Columns (header row first, "," or ";" as delimiter): ${salesFileColumns.join(", ")}.
Give account_id (KAM's) or external_account_id (the ERP's). Dates YYYY-MM-DD; "1234,50" is read as 1234.50.

Each batch is one transaction and lines are matched by external_line_id, so running the same file
again is safe: after an interruption, just re-run it; lines already imported count as unchanged.
Rejected rows are listed with their line numbers in <file>.rejected.csv; the other rows are imported.
The import is recorded in the audit log under the first active admin.
Exit code: 0 all imported; 2 some rows rejected, the rest imported; 1 an error, or the file could
not be read to its end (e.g. a quote never closed), the rows before it imported.`,
  )
  .action((file: string, options: { batchSize: number }) =>
    run(async ({ db, operator }) => {
      const principal = await findImportPrincipal(db);
      if (principal.kind === "user") console.error(`importing ${file} as ${principal.user.email}`);
      try {
        const result = await importSalesFile(actingAs(operator, principal), file, {
          batchSize: options.batchSize,
          progress: process.stderr.isTTY === true,
        });
        console.log(formatSummary(result));
        if (result.stoppedAt) process.exitCode = 1;
        else if (result.rejected > 0) process.exitCode = 2;
      } catch (error) {
        if (!(error instanceof SalesFileImportInterruptedError)) throw error;
        console.log(formatSummary(error.result));
        console.error(`error: ${error.message}`);
        process.exitCode = 1;
      }
    }),
  );

program
  .command("migrate")
  .description("apply pending migrations")
  .action(async () => {
    const config = loadConfig();
    await checkDatabase(config.databaseUrl);
    applyMigrations(config.databaseUrl);
    console.log("migrations applied");
  });

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof ConfigError || error instanceof KamError) {
    console.error(`error: ${error.message}`);
    process.exit(1);
  }
  if (error instanceof StartupError || error instanceof MigrationError) {
    console.error(failureReport(error, "error: "));
    process.exit(1);
  }
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2021") {
    console.error(
      "error: the database has no KAM tables yet; run `npm run kam -- migrate` (or `npm start`) first.",
    );
    process.exit(1);
  }
  throw error;
}
