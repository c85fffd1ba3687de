// vitest globalSetup of the fault suite: the child processes its scenarios start (workers,
// receivers, the embedded-server owner) bundled once for the run (lib/testing/entries.ts).
import { bundleEntries } from "@/lib/testing/entries";

export default function setup() {
  return bundleEntries(
    ["scripts/worker.ts", "lib/faults/worker-fixture.ts", "lib/faults/receiver-process.ts", "lib/faults/embedded-owner-fixture.ts"],
    `.data/test-entries-faults-${process.pid}`,
  );
}
