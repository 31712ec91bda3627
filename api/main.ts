/** `npm start`: validate configuration, check the database, migrate, seed an empty database, serve. */
import { seedDemoData, staleDemoNotice } from "../prisma/seed/index.ts";
import { createApp } from "./app.ts";
import { loadConfig } from "./config.ts";
import { withoutPassword } from "./db/adapters.ts";
import { applyMigrations } from "./db/migrate.ts";
import { checkDatabase, checkListen, failureReport, listen, stopOnSignals } from "./startup.ts";

async function main() {
  const config = loadConfig();
  await checkListen(config.port, config.host);
  await checkDatabase(config.databaseUrl);
  console.log(`Applying migrations to ${withoutPassword(config.databaseUrl)} …`);
  applyMigrations(config.databaseUrl);
  const app = createApp(config);

  if (config.demoSeed && (await app.db.prisma.user.count()) === 0) {
    console.log("Empty database: loading demo data …");
    const summary = await seedDemoData(app.db, { asOf: app.clock.now() });
    console.log(
      `Demo data: ${summary.accounts} accounts, ${summary.users} people, ${summary.salesLines} invoice lines, ${summary.scores} scores.`,
    );
    console.log("\nGet a token to call the API (printed once, here):");
    console.log("  npm run kam -- token --email admin@demo.kam     # admin");
    console.log("  npm run kam -- token --email manager01@demo.kam # a key account manager (01 to 12)");
    console.log("  npm run kam -- token --email viewer@demo.kam    # read-only");
    console.log('  then send it as "Authorization: Bearer <token>"\n');
  } else if (config.demoSeed) {
    const notice = await staleDemoNotice(app.db, app.clock.now());
    if (notice) console.log(notice);
  }
  if (!config.tokenSecret) {
    console.log(`Demo mode: user tokens are signed with a secret kept in ${config.dataDir}/token-secret.`);
  }

  await listen(app.server, config.port, config.host).catch(async (error) => {
    await app.close();
    throw error;
  });
  console.log(`KAM listening on http://localhost:${config.port}  (GraphQL: /graphql, health: /health)`);
  stopOnSignals(app);
}

try {
  await main();
} catch (error) {
  console.error(failureReport(error));
  process.exit(1);
}
