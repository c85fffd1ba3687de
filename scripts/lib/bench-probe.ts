// Preloaded into the console server by the bench (`node --import`), never by the product. Over IPC:
//   "memory"                         → the process's memory after a full GC (the server runs with
//                                      --expose-gc), so growth reads as live objects, not garbage;
//   {type: "profile-start"}          → starts the V8 CPU profiler;
//   {type: "profile-stop", file}     → stops it and writes the .cpuprofile (one measured phase only,
//                                      unlike --cpu-prof, which also records start-up).
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";

export type MemorySample = { rss: number; heapUsed: number; heapTotal: number; external: number };

let session: Session | null = null;

async function handle(message: unknown) {
  if (message === "memory") {
    (globalThis as { gc?: () => void }).gc?.();
    const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
    const sample: MemorySample = { rss, heapUsed, heapTotal, external };
    process.send?.({ type: "memory", sample });
    return;
  }
  const request = message as { type?: string; file?: string };
  if (request.type === "profile-start") {
    session = new Session();
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.start");
    process.send?.({ type: "profile-started" });
  } else if (request.type === "profile-stop" && session && request.file) {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(request.file, JSON.stringify(profile));
    session.disconnect();
    session = null;
    process.send?.({ type: "profile-stopped" });
  }
}

process.on("message", (message: unknown) => void handle(message));
// The IPC channel must not keep the server alive after its own shutdown.
process.channel?.unref();
