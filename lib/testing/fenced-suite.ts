// Setup shared by the security suites that send for real: the network fence (DNS answers, every
// connect attempt recorded), a local receiver, a signed-in admin's API key, and the settings the
// suite needs, restored afterwards. Register it before the file's own beforeAll, which then runs after it.
import { afterAll, beforeAll } from "vitest";
import { signedInAdmin } from "./fixtures";
import { installNetworkFence, type NetworkFence } from "./network-fence";
import { startReceiver, type Receiver } from "./receiver";
import { resetDatabase } from "./reset";
import { configure } from "./context";

export type FencedSuite = { fence: NetworkFence; receiver: Receiver; apiKey: string };

export function fencedSuite(settings: { allowLocalEndpoints: boolean; cronSecret: string }): FencedSuite {
  const suite = {} as FencedSuite;
  const saved = { ALLOW_LOCAL_ENDPOINTS: process.env.ALLOW_LOCAL_ENDPOINTS, CRON_SECRET: process.env.CRON_SECRET };
  beforeAll(async () => {
    // Before anything reads the config: the process-wide sender is built from it on first use.
    configure({ ALLOW_LOCAL_ENDPOINTS: String(settings.allowLocalEndpoints), CRON_SECRET: settings.cronSecret });
    suite.fence = installNetworkFence();
    suite.receiver = await startReceiver();
    await resetDatabase();
    ({ apiKey: suite.apiKey } = await signedInAdmin());
  });
  afterAll(async () => {
    await suite.receiver?.close();
    suite.fence?.uninstall();
    configure({ ALLOW_LOCAL_ENDPOINTS: saved.ALLOW_LOCAL_ENDPOINTS, CRON_SECRET: saved.CRON_SECRET });
  });
  return suite;
}
