// First-run setup is open to whoever reaches the port first; from anywhere but the server's own
// machine it takes a one-time token that `npm start` prints on its terminal (issue 11).
import { inCidr } from "@/lib/net/address";
import { ServiceError } from "@/lib/errors";
import { randomToken, safeEqual, sha256 } from "./crypto";

// On globalThis: the run command issues it, Next's bundle (the setup route) checks it.
const globalForSetup = globalThis as unknown as { webhookConsoleSetupToken?: string | null };

/** A new token for this process's first run (its hash kept in memory only); printed by the caller. */
export function issueSetupToken(): string {
  const token = randomToken(18);
  globalForSetup.webhookConsoleSetupToken = sha256(token);
  return token;
}

export const isLoopback = (address: string) => ["127.0.0.0/8", "::1"].some((range) => inCidr(address, range));

/** Who asks for setup: the client's address, and whether the request came through a reverse proxy. */
export type SetupClient = { address: string; forwarded: boolean };

// `forwarded` (lib/http/client.ts): a proxy on this machine that is not in TRUSTED_PROXIES makes
// every visitor's socket address 127.0.0.1; a request that says it was forwarded is not local.
/** Whether setup needs the token: anything but a browser on the server's own machine does. */
export const setupTokenRequired = ({ address, forwarded }: SetupClient) => forwarded || !isLoopback(address);

/** Throws 403 unless the client is local or brings the token this process printed. */
export function assertSetupAllowed(client: SetupClient, token: string | undefined) {
  if (!setupTokenRequired(client)) return;
  const expected = globalForSetup.webhookConsoleSetupToken;
  if (!expected || !token || !safeEqual(sha256(token.trim()), expected)) {
    throw new ServiceError("setup_token_required", "Enter the setup token printed on the server's terminal by `npm start`.", {
      fields: [
        {
          path: "setupToken",
          message: token ? "This setup token is not valid." : "Enter the setup token printed on the server's terminal.",
        },
      ],
    });
  }
}

/** Setup done: the token is spent. */
export function spendSetupToken() {
  globalForSetup.webhookConsoleSetupToken = null;
}
