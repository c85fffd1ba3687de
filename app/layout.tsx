import type { Metadata } from "next";
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
  // The theme class comes with the HTML, so the first paint is already in the chosen theme.
  return (
    <html lang="en" className={themeClass(await currentTheme())}>
      <body className="min-h-screen">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
