"use client";

// The shell's two interactive parts, client islands in the server-rendered shell (app-shell.tsx):
// the sidebar, which marks the current page, and the account menu, whose code loads on first use.
import clsx from "clsx";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState, type ComponentType } from "react";
import { PlainButton } from "@/components/ui/button-base";
import { ChartIcon, KeyIcon, WebhookIcon, type IconProps } from "@/components/ui/icons";
import { AccountTrigger, type AccountMenuProps } from "./account-trigger";

const NAV: { href: string; label: string; icon: ComponentType<IconProps> }[] = [
  { href: "/overview", label: "Overview", icon: ChartIcon },
  { href: "/webhooks", label: "Webhooks", icon: WebhookIcon },
  { href: "/api-keys", label: "API keys", icon: KeyIcon },
];

export function MainNav() {
  const pathname = usePathname();
  return (
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
                // clsx, not cn: nothing to override here, and the first tailwind-merge call builds
                // its class map, work the first paint need not do (mobile Lighthouse, issue 13).
                className={clsx(
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
  );
}

const loadAccountMenu = () => import("./account-menu").then((module) => module.AccountMenu);

/**
 * The account menu (Radix, with the theme choice and sign-out) is no part of the first paint: its
 * code loads when the button is aimed at (hover, focus, touch), drawn the same until then; a click
 * before the code is in opens the menu once it is.
 */
export function LazyAccountMenu(props: Omit<AccountMenuProps, "defaultOpen">) {
  const [Menu, setMenu] = useState<ComponentType<AccountMenuProps> | null>(null);
  const [openOnLoad, setOpenOnLoad] = useState(false);
  const load = () => void loadAccountMenu().then((component) => setMenu(() => component));
  if (Menu) return <Menu {...props} defaultOpen={openOnLoad} />;
  return (
    <PlainButton
      variant="ghost"
      aria-haspopup="menu"
      aria-expanded={false}
      onPointerEnter={load}
      onFocus={load}
      // Radix opens its menu on pointer-down: code that arrives between this button's pointer-down
      // and its click would swap in a trigger that never saw the press, so the press opens it.
      onPointerDown={() => {
        setOpenOnLoad(true);
        load();
      }}
      onClick={() => {
        setOpenOnLoad(true);
        load();
      }}
    >
      <AccountTrigger email={props.email} />
    </PlainButton>
  );
}
