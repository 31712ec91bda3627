/** `npm start`: validate configuration, migrate, seed an empty database, serve. */
import { seedDemoData } from "../prisma/seed/index.ts";
import { createApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { applyMigrations } from "./db/migrate.ts";

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  console.log(`Applying migrations to ${config.databaseUrl.replace(/\/\/[^@/]*@/, "//***@")} …`);
  applyMigrations(config.databaseUrl);
  const app = createApp(config);

  if (config.demoSeed && (await app.db.prisma.user.count()) === 0) {
    console.log("Empty database: loading demo data …");
    const summary = await seedDemoData(app.db.prisma);
    console.log(
      `Demo data: ${summary.accounts} accounts, ${summary.users} people, ${summary.salesLines} invoice lines, ${summary.scores} scores.`,
    );
    console.log("\nGet a token to call the API (printed once, here):");
    console.log("  npm run kam -- token --email admin@demo.kam     # admin");
    console.log("  npm run kam -- token --email manager01@demo.kam # a key account manager (01 to 12)");
    console.log("  npm run kam -- token --email viewer@demo.kam    # read-only");
    console.log('  then send it as "Authorization: Bearer <token>"\n');
  }
  if (!config.tokenSecret) {
    console.log(`Demo mode: user tokens are signed with a secret kept in ${config.dataDir}/token-secret.`);
  }

  app.server.listen(config.port, config.host, () => {
    console.log(`KAM listening on http://localhost:${config.port}  (GraphQL: /graphql, health: /health)`);
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing open requests and closing …`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    void app.close().then(() => process.exit(0));
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

await main();
