"use client";

import * as TabsPrimitive from "@radix-ui/react-tabs";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { cn } from "./cn";

export type TabItem = {
  value: string;
  label: ReactNode;
  /** Makes the tab a route link; the selected tab then follows the URL. */
  href?: string;
  /** In-page tabs: the panel shown while this tab is selected. */
  content?: ReactNode;
};

export type TabsProps = {
  items: TabItem[];
  /** Selected tab; defaults to the item whose href best matches the current path (route tabs) or
   * the first item (in-page tabs, uncontrolled). */
  value?: string;
  /** Called when an in-page tab is activated. */
  onChange?: (value: string) => void;
  "aria-label": string;
  className?: string;
};

function matchPath(items: TabItem[], pathname: string): string | undefined {
  // Longest matching href wins, so nested routes (e.g. a request's details) keep their tab.
  return items
    .map((item) => ({ item, path: item.href?.split(/[?#]/)[0] }))
    .filter(({ path }) => path && (pathname === path || pathname.startsWith(`${path}/`)))
    .sort((a, b) => (b.path?.length ?? 0) - (a.path?.length ?? 0))[0]?.item.value;
}

const listClassName = "flex gap-6 overflow-x-auto border-b border-line";
const tabClassName =
  "-mb-px shrink-0 whitespace-nowrap border-b-2 border-transparent px-1 pb-2.5 pt-1 text-sm font-medium text-ink-muted transition-colors hover:text-ink";
const selectedClassName = "border-primary-600 text-primary-600 hover:text-primary-600";

/**
 * Route tabs (items with `href`) are a navigation landmark of links, the current one marked with
 * aria-current: they change the URL, so they are not ARIA tabs. In-page tabs are Radix Tabs.
 */
export function Tabs({ items, value, onChange, className, "aria-label": ariaLabel }: TabsProps) {
  const pathname = usePathname();
  if (items.some((item) => item.href)) {
    const selected = value ?? matchPath(items, pathname) ?? items[0]?.value;
    return (
      <nav aria-label={ariaLabel} className={cn(listClassName, className)}>
        {items.map((item) => (
          <Link
            key={item.value}
            href={item.href ?? "#"}
            aria-current={item.value === selected ? "page" : undefined}
            className={cn(tabClassName, item.value === selected && selectedClassName)}
          >
            {item.label}
          </Link>
        ))}
      </nav>
    );
  }
  return (
    <TabsPrimitive.Root
      {...(value === undefined ? { defaultValue: items[0]?.value } : { value })}
      onValueChange={onChange}
      className={className}
    >
      <TabsPrimitive.List aria-label={ariaLabel} className={listClassName}>
        {items.map((item) => (
          <TabsPrimitive.Trigger
            key={item.value}
            value={item.value}
            className={cn(tabClassName, "data-[state=active]:border-primary-600 data-[state=active]:text-primary-600")}
          >
            {item.label}
          </TabsPrimitive.Trigger>
        ))}
      </TabsPrimitive.List>
      {items.map((item) => (
        <TabsPrimitive.Content key={item.value} value={item.value} className="pt-4 focus-visible:outline-offset-4">
          {item.content}
        </TabsPrimitive.Content>
      ))}
    </TabsPrimitive.Root>
  );
}
