// Admin accounts, sessions and sign-in throttling. Plain inputs, plain results: no Next objects.
import type { ServiceContext } from "@/lib/context";
import { ADVISORY_LOCKS } from "@/lib/db/advisory-locks";
import { ServiceError } from "@/lib/errors";
import { hashPassword, randomId, randomToken, sha256, verifyPassword } from "./crypto";
import { passwordWeakness, type Credentials } from "./schemas";
import { assertSetupAllowed, spendSetupToken, type SetupClient } from "./setup-token";
import { checkSignInThrottle, recordSignInFailure, recordSignInSuccess, withAddressSlot } from "./throttle";

export const SESSION_COOKIE = "wc_session";

export type AdminIdentity = { userId: string; email: string };

export async function adminExists(ctx: ServiceContext) {
  return (await ctx.db.adminUser.count()) > 0;
}

async function createAdmin(ctx: ServiceContext, email: string, password: string) {
  return ctx.db.adminUser.create({ data: { id: randomId(), email, passwordHash: await hashPassword(password) } });
}

const setupDone = () => new ServiceError("setup_done", "An admin already exists. Sign in instead.");

/**
 * First-run setup: creates the first admin only while none exists; from a non-local or forwarded
 * client only with the setup token the run command printed. Without a client (scripts, tests) it is local.
 */
export async function setupFirstAdmin(
  ctx: ServiceContext,
  credentials: Credentials & { setupToken?: string },
  client: SetupClient = { address: "127.0.0.1", forwarded: false },
) {
  // Refuse before hashing: once set up, anonymous callers must not make us run argon2.
  if (await adminExists(ctx)) throw setupDone();
  assertSetupAllowed(client, credentials.setupToken);
  const passwordHash = await hashPassword(credentials.password);
  // Serialise concurrent setups so two browsers cannot both create "the first" admin.
  const admin = await ctx.transaction(async ({ db: tx }) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ADVISORY_LOCKS.setup}::bigint)`;
    if ((await tx.adminUser.count()) > 0) {
      throw setupDone();
    }
    return tx.adminUser.create({ data: { id: randomId(), email: credentials.email, passwordHash } });
  });
  spendSetupToken();
  return admin;
}

/** ADMIN_EMAIL / ADMIN_PASSWORD seed the first admin without the setup screen. */
export async function seedAdminFromEnv(ctx: ServiceContext, env: Record<string, string | undefined> = process.env) {
  const email = env.ADMIN_EMAIL?.trim().toLowerCase();
  const password = env.ADMIN_PASSWORD;
  if (!email || !password) return false;
  const weakness = passwordWeakness(password);
  if (weakness) throw new Error(`ADMIN_PASSWORD is too weak: ${weakness}`);
  if (await ctx.db.adminUser.findUnique({ where: { email } })) return false;
  if (await adminExists(ctx)) return false;
  await createAdmin(ctx, email, password);
  return true;
}

/**
 * Verifies credentials and opens a session. Throttled per account, per address and per
 * (account, address) (lib/auth/throttle.ts); the password work is bounded per address and overall.
 */
export async function signIn(ctx: ServiceContext, credentials: Credentials, clientAddress: string, now = ctx.clock.now()) {
  const { email } = credentials;
  await checkSignInThrottle(ctx, email, clientAddress, now);
  const user = await ctx.db.adminUser.findUnique({ where: { email } });
  // Verify against a dummy hash when the user is unknown so timing does not reveal accounts.
  const valid = await withAddressSlot(clientAddress, () => verifyPassword(user?.passwordHash ?? DUMMY_HASH, credentials.password));
  if (!user || !valid) {
    await recordSignInFailure(ctx, email, clientAddress, now);
    throw new ServiceError("invalid_credentials", "Incorrect email or password.");
  }
  await recordSignInSuccess(ctx, email, clientAddress, now);
  return createSession(ctx, user.id, now);
}

const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0jVHfWwbmR4RmaU0xuO6NryqUPLnxqIMAEp+z2v2iUU";

export async function createSession(ctx: ServiceContext, userId: string, now = ctx.clock.now()) {
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + ctx.config.SESSION_TTL_HOURS * 3_600_000);
  await ctx.db.session.create({ data: { id: randomId(), tokenHash: sha256(token), userId, expiresAt } });
  return { token, expiresAt };
}

export async function validateSession(
  ctx: ServiceContext,
  token: string | undefined,
  now = ctx.clock.now(),
): Promise<AdminIdentity | null> {
  if (!token) return null;
  const session = await ctx.db.session.findUnique({ where: { tokenHash: sha256(token) }, include: { user: true } });
  if (!session || session.expiresAt <= now) return null;
  return { userId: session.userId, email: session.user.email };
}

export async function signOut(ctx: ServiceContext, token: string | undefined) {
  if (token) await ctx.db.session.deleteMany({ where: { tokenHash: sha256(token) } });
}

export async function purgeExpiredSessions(ctx: ServiceContext, now = ctx.clock.now()) {
  await ctx.db.session.deleteMany({ where: { expiresAt: { lte: now } } });
}
