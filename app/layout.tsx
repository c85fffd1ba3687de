import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { currentTheme } from "@/lib/theme/server";
import { themeClass } from "@/lib/theme/theme";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Webhook Console", template: "%s · Webhook Console" },
  description: "Manage webhooks: endpoints, events, signing keys, health and recent requests.",
};

export default async function RootLayout({ children }: Readonly<{ children: ReactNode }>) {
  // Reading the request makes every page dynamic, so each gets the nonce proxy.ts chose for it
  // (a prerendered page would carry scripts without one, which the CSP blocks).
  await headers();
  // The theme class comes with the HTML, so the first paint is already in the chosen theme.
  return (
    <html lang="en" className={themeClass(await currentTheme())}>
      <body className="min-h-screen">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
