"use client";

import Link from "next/link";
import { useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import type { ComponentType, ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { DropdownMenu } from "@/components/ui/dropdown-menu";
import {
  AlertTriangleIcon,
  ChartIcon,
  ChevronDownIcon,
  KeyIcon,
  LogOutIcon,
  UserIcon,
  WebhookIcon,
  type IconProps,
} from "@/components/ui/icons";
import { useToast } from "@/components/ui/toast";
import type { Theme } from "@/lib/theme/theme";
import { ThemeMenuItems } from "./theme-menu";
import { Brand } from "./brand";

const NAV: { href: string; label: string; icon: ComponentType<IconProps> }[] = [
  { href: "/overview", label: "Overview", icon: ChartIcon },
  { href: "/webhooks", label: "Webhooks", icon: WebhookIcon },
  { href: "/api-keys", label: "API keys", icon: KeyIcon },
];

export type AppShellProps = {
  /** Signed-in admin, shown in the user menu. */
  email: string;
  /** Amber banner across the top (e.g. insecure settings in effect). */
  warning?: string;
  /** The admin's theme choice, from the cookie (the user menu changes it). */
  theme: Theme;
  children: ReactNode;
};

export function AppShell({ email, warning, theme, children }: AppShellProps) {
  const pathname = usePathname();
  const router = useRouter();
  const queryClient = useQueryClient();
  const toast = useToast();

  async function signOut() {
    try {
      const response = await fetch("/api/auth/sign-out", { method: "POST" });
      // 401 means the session is already gone, which is what signing out wants.
      if (!response.ok && response.status !== 401) throw new Error(`Sign-out failed (${response.status})`);
      // Nothing fetched for the signed-out admin may outlive the session.
      queryClient.clear();
      router.replace("/sign-in");
      router.refresh();
    } catch {
      toast.error("Could not sign out. Try again.");
    }
  }

  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-surface px-3 py-2 text-sm font-medium focus:not-sr-only focus:fixed focus:left-3 focus:top-3"
      >
        Skip to content
      </a>

      {/* A landmark of its own, so screen-reader users meet it as part of the page. */}
      {warning && (
        <aside
          aria-label="Development setting"
          className="flex items-start gap-2 border-b border-amber-200 bg-amber-50 px-4 py-1.5 text-xs text-amber-900 sm:items-center"
        >
          <AlertTriangleIcon className="mt-px shrink-0 text-amber-600 sm:mt-0" />
          <p>{warning}</p>
        </aside>
      )}

      <header className="sticky top-0 z-30 flex h-14 items-center justify-between gap-4 border-b border-line bg-canvas/95 px-4 backdrop-blur">
        <Brand />
        <DropdownMenu
          label="Account"
          trigger={
            <>
              <UserIcon className="text-ink-muted" />
              {/* Below 640 px the icon alone: the email would push the header past the viewport. */}
              <span className="sr-only max-w-56 truncate sm:not-sr-only" title={email}>
                {email}
              </span>
              <ChevronDownIcon className="text-ink-muted" />
            </>
          }
          items={[{ key: "sign-out", label: "Sign out", icon: <LogOutIcon />, onSelect: () => void signOut() }]}
        >
          <ThemeMenuItems initial={theme} />
        </DropdownMenu>
      </header>

      <div className="flex flex-1 flex-col md:flex-row">
        <nav aria-label="Main" className="shrink-0 px-3 py-3 md:sticky md:top-14 md:w-56 md:self-start md:py-5">
          <ul className="flex gap-1 overflow-x-auto md:flex-col">
            {NAV.map(({ href, label, icon: Icon }) => {
              const active = pathname === href || pathname.startsWith(`${href}/`);
              return (
                <li key={href}>
                  <Link
                    href={href}
                    aria-current={active ? "page" : undefined}
                    className={cn(
                      "flex items-center gap-2.5 whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium transition-colors",
                      active ? "bg-primary-50 text-primary-700" : "text-ink-muted hover:bg-neutral-200/60 hover:text-ink",
                    )}
                  >
                    <Icon className={active ? "text-primary-600" : undefined} />
                    {label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>

        <main id="main" tabIndex={-1} className="min-w-0 flex-1 px-4 pb-10 pt-3 focus:outline-none md:px-8 md:pt-5">
          <div className="mx-auto max-w-6xl">{children}</div>
        </main>
      </div>
    </div>
  );
}
