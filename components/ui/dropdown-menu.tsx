"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
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
};

type OpenState = false | "first" | "last";

export function DropdownMenu({ label, items, trigger, align = "end", className }: DropdownMenuProps) {
  const [open, setOpen] = useState<OpenState>(false);
  const menuId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);

  const enabledItems = () =>
    Array.from(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])') ?? []);

  useEffect(() => {
    if (!open) return;
    const list = enabledItems();
    (open === "last" ? list.at(-1) : list[0])?.focus();

    const onPointerDown = (event: PointerEvent) => {
      if (event.target instanceof Node && !rootRef.current?.contains(event.target)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [open]);

  function close() {
    setOpen(false);
    triggerRef.current?.focus();
  }

  function select(item: DropdownMenuItem) {
    if (item.disabled) return;
    // Focus returns to the trigger first, so a dialog opened by onSelect restores focus there.
    close();
    item.onSelect();
  }

  function onMenuKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const list = enabledItems();
    const index = list.findIndex((el) => el === document.activeElement);
    const moves: Record<string, HTMLElement | undefined> = {
      ArrowDown: list[(index + 1) % list.length],
      ArrowUp: list[(index - 1 + list.length) % list.length],
      Home: list[0],
      End: list.at(-1),
    };
    if (event.key in moves) {
      event.preventDefault();
      moves[event.key]?.focus();
    } else if (event.key === "Tab") {
      setOpen(false);
    }
  }

  const triggerProps = {
    ref: triggerRef,
    "aria-haspopup": "menu" as const,
    "aria-expanded": open !== false,
    "aria-controls": open ? menuId : undefined,
    onClick: () => setOpen((current) => (current ? false : "first")),
    onKeyDown: (event: KeyboardEvent<HTMLButtonElement>) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        setOpen(event.key === "ArrowDown" ? "first" : "last");
      }
    },
  };

  return (
    <div
      ref={rootRef}
      className={cn("relative inline-flex", className)}
      onKeyDown={(event) => {
        // preventDefault tells an enclosing Modal that this Esc was handled here.
        if (event.key === "Escape" && open) {
          event.preventDefault();
          event.stopPropagation();
          close();
        }
      }}
    >
      {trigger ? (
        <Button variant="ghost" {...triggerProps}>
          {trigger}
        </Button>
      ) : (
        <IconButton label={label} icon={<DotsVerticalIcon />} {...triggerProps} />
      )}
      {open && (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label={label}
          onKeyDown={onMenuKeyDown}
          className={cn(
            "absolute top-full z-40 mt-1 min-w-44 rounded-lg border border-line bg-surface p-1 shadow-lg",
            align === "end" ? "right-0" : "left-0",
          )}
        >
          {items.map((item, index) => (
            <button
              key={item.key ?? (typeof item.label === "string" ? item.label : index)}
              type="button"
              role="menuitem"
              tabIndex={-1}
              aria-disabled={item.disabled || undefined}
              onClick={() => select(item)}
              className={cn(
                "flex w-full items-center gap-2 rounded-md px-3 py-2 text-left text-sm focus-visible:outline-offset-0",
                item.disabled
                  ? "cursor-not-allowed text-ink-subtle"
                  : item.danger
                    ? "text-red-600 hover:bg-red-50 focus-visible:bg-red-50"
                    : "text-ink hover:bg-neutral-100 focus-visible:bg-neutral-100",
              )}
            >
              {item.icon}
              {item.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
