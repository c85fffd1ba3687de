// The bench's webhook endpoint, run as its own process (scripts/lib/bench-processes.ts) so the
// load generator's CPU does not slow it down: the test receiver answering 200 to everything,
// recording nothing. Tells its parent its URL over IPC.
import { startReceiver } from "../../lib/testing/receiver";

async function main() {
  const receiver = await startReceiver([{ status: 200 }], { record: false });
  process.send?.({ type: "ready", url: receiver.url });
  process.on("disconnect", () => void receiver.close().then(() => process.exit(0)));
  process.on("SIGTERM", () => void receiver.close().then(() => process.exit(0)));
}

void main();
