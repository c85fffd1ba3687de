import { redirect } from "next/navigation";
import { AuthForm } from "@/components/auth/auth-form";
import { currentAdmin } from "@/lib/auth/current";
import { adminExists } from "@/lib/auth/service";
import { appContext } from "@/lib/context";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

export default async function SignInPage() {
  if (!(await adminExists(appContext()))) redirect("/setup");
  if (await currentAdmin()) redirect("/webhooks");
  return <AuthForm mode="sign-in" />;
}
