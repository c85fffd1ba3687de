"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useId, type KeyboardEvent, type ReactNode } from "react";
import { cn } from "./cn";

export type TabItem = {
  value: string;
  label: ReactNode;
  /** Makes the tab a route link; the selected tab then follows the URL. */
  href?: string;
  /** Id of the panel this tab controls (aria-controls). */
  panelId?: string;
};

export type TabsProps = {
  items: TabItem[];
  /** Selected tab; defaults to the item whose href best matches the current path. */
  value?: string;
  /** Called when a button tab is activated (click or arrow keys). */
  onChange?: (value: string) => void;
  "aria-label": string;
  /** Prefix for tab ids: each tab gets `${id}-tab-${value}` for aria-labelledby on panels. */
  id?: string;
  className?: string;
};

function matchPath(items: TabItem[], pathname: string): string | undefined {
  // Longest matching href wins, so nested routes (e.g. a request's details) keep their tab.
  return items
    .map((item) => ({ item, path: item.href?.split(/[?#]/)[0] }))
    .filter(({ path }) => path && (pathname === path || pathname.startsWith(`${path}/`)))
    .sort((a, b) => (b.path?.length ?? 0) - (a.path?.length ?? 0))[0]?.item.value;
}

export function Tabs({ items, value, onChange, id, className, "aria-label": ariaLabel }: TabsProps) {
  const pathname = usePathname();
  const autoId = useId();
  const prefix = id ?? autoId;
  const selected = value ?? matchPath(items, pathname) ?? items[0]?.value;

  // Roving focus: arrows move between tabs; button tabs activate on focus, link tabs on Enter.
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const tabs = Array.from(event.currentTarget.querySelectorAll<HTMLElement>('[role="tab"]'));
    const index = tabs.findIndex((tab) => tab === document.activeElement);
    const targets: Record<string, number> = {
      ArrowRight: (index + 1) % tabs.length,
      ArrowLeft: (index - 1 + tabs.length) % tabs.length,
      Home: 0,
      End: tabs.length - 1,
    };
    if (index < 0 || !(event.key in targets)) return;
    event.preventDefault();
    const next = targets[event.key];
    tabs[next]?.focus();
    const item = items[next];
    if (item && !item.href) onChange?.(item.value);
  }

  return (
    <div role="tablist" aria-label={ariaLabel} onKeyDown={onKeyDown} className={cn("flex gap-6 border-b border-line", className)}>
      {items.map((item) => {
        const isSelected = item.value === selected;
        const common = {
          id: `${prefix}-tab-${item.value}`,
          role: "tab",
          "aria-selected": isSelected,
          "aria-controls": item.panelId,
          tabIndex: isSelected ? 0 : -1,
          className: cn(
            "-mb-px border-b-2 px-1 pb-2.5 pt-1 text-sm font-medium transition-colors",
            isSelected ? "border-primary-600 text-primary-600" : "border-transparent text-ink-muted hover:text-ink",
          ),
        };
        return item.href ? (
          <Link key={item.value} href={item.href} {...common}>
            {item.label}
          </Link>
        ) : (
          <button key={item.value} type="button" onClick={() => onChange?.(item.value)} {...common}>
            {item.label}
          </button>
        );
      })}
    </div>
  );
}
