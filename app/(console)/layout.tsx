import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { currentAdmin } from "@/lib/auth/current";
import { adminExists } from "@/lib/auth/service";
import { appContext } from "@/lib/context";
import { currentTheme } from "@/lib/theme/server";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const admin = await currentAdmin();
  const ctx = appContext();
  if (!admin) redirect((await adminExists(ctx)) ? "/sign-in" : "/setup");
  const warning = ctx.config.ALLOW_LOCAL_ENDPOINTS
    ? "Local endpoints are allowed (ALLOW_LOCAL_ENDPOINTS=true): webhooks may call http:// and private addresses. Use this for development only."
    : undefined;
  return (
    <AppShell email={admin.email} warning={warning} theme={await currentTheme()}>
      {children}
    </AppShell>
  );
}
