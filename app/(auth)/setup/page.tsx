import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthForm } from "@/components/auth/auth-form";
import { adminExists } from "@/lib/auth/service";
import { setupTokenRequired } from "@/lib/auth/setup-token";
import { appContext } from "@/lib/context";
import { clientOf } from "@/lib/http/client";

export const dynamic = "force-dynamic";
export const metadata = { title: "Set up" };

// Only reachable while no admin exists; afterwards the route refuses too.
export default async function SetupPage() {
  if (await adminExists(appContext())) redirect("/sign-in");
  const requestHeaders = await headers();
  const client = clientOf({ url: `http://${requestHeaders.get("host") ?? "localhost"}/setup`, headers: requestHeaders });
  return <AuthForm mode="setup" askSetupToken={setupTokenRequired({ address: client.address, forwarded: client.forwarded ?? false })} />;
}
