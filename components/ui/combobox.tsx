"use client";

// A searchable, clearable select (Logto's event selector): Radix Popover for placement, focus
// return and dismissal, cmdk for filtering, the listbox roles and arrow-key navigation.
import * as Popover from "@radix-ui/react-popover";
import { Command } from "cmdk";
import { useState } from "react";
import { cn } from "./cn";
import { CheckIcon, ChevronDownIcon, SearchIcon, XIcon } from "./icons";

export type ComboboxGroup = { label: string; options: readonly string[] };

export type ComboboxProps = {
  /** Accessible name of the trigger and of the list. */
  label: string;
  groups: readonly ComboboxGroup[];
  value: string | undefined;
  onChange: (value: string | undefined) => void;
  /** Shown on the trigger while nothing is picked. */
  placeholder: string;
  searchPlaceholder?: string;
  className?: string;
};

export function Combobox({ label, groups, value, onChange, placeholder, searchPlaceholder = "Search", className }: ComboboxProps) {
  const [open, setOpen] = useState(false);

  function pick(next: string | undefined) {
    onChange(next);
    setOpen(false);
  }

  return (
    <div className={cn("relative inline-flex max-w-full", className)}>
      <Popover.Root open={open} onOpenChange={setOpen}>
        <Popover.Trigger
          // The name holds the visible text (WCAG 2.5.3): "Event: All events", "Event: Role.Created".
          aria-label={`${label}: ${value ?? placeholder}`}
          className={cn(
            "inline-flex h-8 min-w-0 max-w-full items-center gap-2 rounded-md border border-line-strong bg-surface pl-2.5 text-left text-sm text-ink shadow-xs hover:border-neutral-400 focus-visible:border-primary-600 focus-visible:outline-offset-0",
            // Room for the clear button, which sits over the trigger's right end.
            value ? "pr-8" : "pr-2",
          )}
        >
          <span className={cn("min-w-0 truncate", !value && "text-ink-muted")}>{value ?? placeholder}</span>
          {!value && <ChevronDownIcon size={14} className="shrink-0 text-ink-muted" />}
        </Popover.Trigger>
        <Popover.Portal>
          <Popover.Content
            align="start"
            sideOffset={4}
            collisionPadding={8}
            className="z-40 w-72 max-w-[calc(100vw-16px)] rounded-lg border border-line bg-surface shadow-lg"
          >
            {/* cmdk names its input by the Command's label: the search field's name; the list carries the field's. */}
            <Command label={searchPlaceholder} className="flex flex-col">
              <div className="flex items-center gap-2 border-b border-line px-3">
                <SearchIcon size={14} className="shrink-0 text-ink-muted" />
                <Command.Input
                  autoFocus
                  placeholder={searchPlaceholder}
                  className="h-9 w-full min-w-0 bg-transparent text-sm text-ink outline-none placeholder:text-ink-subtle"
                />
              </div>
              <Command.List label={label} className="max-h-72 overflow-y-auto p-1">
                <Command.Empty className="px-3 py-6 text-center text-sm text-ink-muted">No match</Command.Empty>
                <Command.Item value={placeholder} onSelect={() => pick(undefined)} className={itemClassName}>
                  <CheckIcon size={14} className={cn("shrink-0", value ? "invisible" : "text-primary-600")} />
                  {placeholder}
                </Command.Item>
                {groups.map((group) => (
                  <Command.Group
                    key={group.label}
                    heading={group.label}
                    className="[&_[cmdk-group-heading]]:px-3 [&_[cmdk-group-heading]]:pb-1 [&_[cmdk-group-heading]]:pt-2 [&_[cmdk-group-heading]]:text-xs [&_[cmdk-group-heading]]:font-medium [&_[cmdk-group-heading]]:text-ink-muted"
                  >
                    {group.options.map((option) => (
                      <Command.Item key={option} value={option} onSelect={() => pick(option)} className={itemClassName}>
                        <CheckIcon size={14} className={cn("shrink-0", option === value ? "text-primary-600" : "invisible")} />
                        <span className="min-w-0 [overflow-wrap:anywhere]">{option}</span>
                      </Command.Item>
                    ))}
                  </Command.Group>
                ))}
              </Command.List>
            </Command>
          </Popover.Content>
        </Popover.Portal>
      </Popover.Root>
      {value && (
        <button
          type="button"
          aria-label={`Clear ${label.toLowerCase()}`}
          onClick={() => onChange(undefined)}
          className="absolute right-1 top-1/2 flex size-6 -translate-y-1/2 items-center justify-center rounded text-ink-muted hover:bg-neutral-100 hover:text-ink"
        >
          <XIcon size={14} />
        </button>
      )}
    </div>
  );
}

const itemClassName =
  "flex cursor-pointer select-none items-center gap-2 rounded-md px-3 py-1.5 text-sm text-ink outline-none data-[selected=true]:bg-neutral-100";
