import { startEmbeddedPostgres } from "/work/main/lib/db/embedded";
import { ensureDatabase } from "/work/main/lib/db/migrate";
const db = await startEmbeddedPostgres({ baseDir: "/work/main/.data" , log: () => {}});
await ensureDatabase(db.adminUrl, "webhooks");
console.log(db.urlFor("webhooks"));
setInterval(() => {}, 1 << 30);
