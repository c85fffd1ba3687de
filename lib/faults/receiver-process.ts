// Child process of the fault suite: `receiver-process.ts <count> <ok|chaos>` starts that many
// counting receivers on 127.0.0.1, sends their URLs to the parent, and answers "report" with what
// they saw. See receivers.ts.
import { countingReceiver, serializeTally, type ReceiverMessage, type ReceiverMode } from "./receivers";

const send = (message: ReceiverMessage) => process.send?.(message);

async function main() {
  const count = Number(process.argv[2] ?? 1);
  const mode: ReceiverMode = process.argv[3] === "chaos" ? "chaos" : "ok";
  const receivers = await Promise.all(Array.from({ length: count }, () => countingReceiver(mode)));
  process.on("message", (message: { type?: string }) => {
    if (message.type === "report") send({ type: "report", tallies: receivers.map((receiver) => serializeTally(receiver.tally)) });
  });
  // The parent going away (even by SIGKILL) ends this process too.
  process.on("disconnect", () => process.exit(0));
  send({ type: "ready", urls: receivers.map((receiver) => receiver.url) });
}

main().catch((error: unknown) => {
  console.error("[receivers] failed to start:", error);
  process.exit(1);
});
