// vitest globalSetup: `npm test` passes a fresh DATABASE_URL; a bare `npx vitest` gets its own.
import { startTestServer } from "./database";

export default async function setup() {
  if (process.env.WC_TEST_DATABASE_READY === "1") return;
  const server = await startTestServer();
  process.env.DATABASE_URL = await server.createDatabase("vitest");
  process.env.WC_TEST_DATABASE_READY = "1";
  return () => server.stop();
}
