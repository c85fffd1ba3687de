"use client";

import * as Menu from "@radix-ui/react-dropdown-menu";
import type { ReactNode, Ref } from "react";
import { Button, IconButton } from "./button";
import { cn } from "./cn";
import { DotsVerticalIcon } from "./icons";

export type DropdownMenuItem = {
  label: ReactNode;
  onSelect: () => void;
  icon?: ReactNode;
  /** Destructive action (red). */
  danger?: boolean;
  disabled?: boolean;
  /** React key; needed when `label` is not a string. */
  key?: string;
};

export type DropdownMenuProps = {
  /** Accessible name of the menu, and of the trigger when it is the default three-dots icon. */
  label: string;
  items: DropdownMenuItem[];
  /** Visible trigger content; when omitted, a three-dots icon button is used. */
  trigger?: ReactNode;
  align?: "start" | "end";
  className?: string;
  /** Extra content above the items (e.g. a radio group); Radix menu parts go here. */
  children?: ReactNode;
  /** The trigger button, e.g. for a dialog an item opens to give focus back to (see `returnFocusRef`). */
  triggerRef?: Ref<HTMLButtonElement>;
  /** Open on mount (a menu whose code loaded after its trigger was already clicked). */
  defaultOpen?: boolean;
};

export const menuContentClassName = "z-40 min-w-44 rounded-lg border border-line bg-surface p-1 shadow-lg";
export const menuItemClassName =
  "flex w-full cursor-pointer select-none items-center gap-2 rounded-md px-3 py-2 text-left text-sm text-ink outline-none data-[highlighted]:bg-neutral-100 data-[disabled]:cursor-not-allowed data-[disabled]:text-ink-subtle";

/**
 * A menu on Radix DropdownMenu: keyboard navigation, typeahead, focus return, and a portal with
 * collision handling (never clipped by an overflow container) come from the primitive.
 */
export function DropdownMenu({ label, items, trigger, align = "end", className, children, triggerRef, defaultOpen }: DropdownMenuProps) {
  return (
    <Menu.Root modal={false} defaultOpen={defaultOpen}>
      <Menu.Trigger asChild>
        {trigger ? (
          <Button ref={triggerRef} variant="ghost" className={className}>
            {trigger}
          </Button>
        ) : (
          <IconButton ref={triggerRef} label={label} icon={<DotsVerticalIcon />} className={className} />
        )}
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content aria-label={label} align={align} sideOffset={4} collisionPadding={8} className={menuContentClassName}>
          {children}
          {items.map((item, index) => (
            <Menu.Item
              key={item.key ?? (typeof item.label === "string" ? item.label : index)}
              disabled={item.disabled}
              onSelect={item.onSelect}
              className={cn(menuItemClassName, item.danger && "text-red-600 data-[highlighted]:bg-red-50")}
            >
              {item.icon}
              {item.label}
            </Menu.Item>
          ))}
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
}

export { Menu as MenuPrimitive };
