"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState, type ComponentType, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { Button } from "@/components/ui/button";
import { AlertTriangleIcon, ChartIcon, KeyIcon, WebhookIcon, type IconProps } from "@/components/ui/icons";
import type { Theme } from "@/lib/theme/theme";
import { AccountTrigger, type AccountMenuProps } from "./account-trigger";
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

const loadAccountMenu = () => import("./account-menu").then((module) => module.AccountMenu);

/**
 * The account menu (Radix, with the theme choice and sign-out) is no part of the first paint: its
 * code loads when the button is aimed at (hover, focus, touch), drawn the same until then; a click
 * before the code is in opens the menu once it is.
 */
function LazyAccountMenu(props: Omit<AccountMenuProps, "defaultOpen">) {
  const [Menu, setMenu] = useState<ComponentType<AccountMenuProps> | null>(null);
  const [openOnLoad, setOpenOnLoad] = useState(false);
  const load = () => void loadAccountMenu().then((component) => setMenu(() => component));
  if (Menu) return <Menu {...props} defaultOpen={openOnLoad} />;
  return (
    <Button
      variant="ghost"
      aria-haspopup="menu"
      aria-expanded={false}
      onPointerEnter={load}
      onPointerDown={load}
      onFocus={load}
      onClick={() => {
        setOpenOnLoad(true);
        load();
      }}
    >
      <AccountTrigger email={props.email} />
    </Button>
  );
}

export function AppShell({ email, warning, theme, children }: AppShellProps) {
  const pathname = usePathname();

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
        <LazyAccountMenu email={email} theme={theme} />
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
                    // Dynamic pages: a prefetch is a server render each, competing with the page loading.
                    prefetch={false}
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
