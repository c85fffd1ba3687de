import { redirect } from "next/navigation";
import { AuthForm } from "@/components/auth/auth-form";
import { adminExists } from "@/lib/auth/service";

export const dynamic = "force-dynamic";
export const metadata = { title: "Set up" };

// Only reachable while no admin exists; afterwards the route refuses too.
export default async function SetupPage() {
  if (await adminExists()) redirect("/sign-in");
  return <AuthForm mode="setup" />;
}
