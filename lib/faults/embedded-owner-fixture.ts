// A process that owns an embedded PostgreSQL for the supervision scenarios: starts it on
// FAULTS_PG_DIR, prints "READY <postmaster pid>", then waits to be killed or signalled.
import { startEmbeddedPostgres } from "@/lib/db/embedded";

const server = await startEmbeddedPostgres({
  baseDir: process.env.FAULTS_PG_DIR ?? ".data/faults-owner",
  supervise: { onGiveUp: () => process.exit(1) },
});
console.log(`READY ${server.pid()}`);
process.on("SIGTERM", () => void server.stop().then(() => process.exit(0)));
setInterval(() => {}, 1_000);
