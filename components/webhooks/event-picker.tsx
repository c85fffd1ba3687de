"use client";

import { Fragment, useId, type Ref } from "react";
import { Controller, type Control } from "react-hook-form";
import { Checkbox } from "@/components/ui/checkbox";
import { cn } from "@/components/ui/cn";
import { EVENT_GROUPS } from "@/lib/hooks/events";
import type { ParsedWebhookForm, WebhookFormValues } from "./use-webhook-form";

export type EventPickerProps = {
  value: readonly string[];
  onChange: (events: string[]) => void;
  error?: string;
  disabled?: boolean;
  /** Gets the first checkbox, so a form library can move focus to the picker when it is invalid. */
  inputRef?: Ref<HTMLInputElement>;
  /**
   * In a dialog: the groups scroll inside a bounded area, so the dialog (name, URL, events, Create)
   * fits a laptop screen; the settings page shows them at full length.
   */
  scrollable?: boolean;
};

/** Long names (OrganizationRole.Scopes.Updated) wrap after a dot, never inside a word, unless one word is too long alone. */
function EventName({ name }: { name: string }) {
  const parts = name.split(".");
  return (
    <code className="text-[13px] [overflow-wrap:anywhere]">
      {parts.map((part, index) => (
        <Fragment key={index}>
          {part}
          {index < parts.length - 1 && (
            <>
              .<wbr />
            </>
          )}
        </Fragment>
      ))}
    </code>
  );
}

/**
 * Logto's event picker: the catalog's groups in order, each with a select-all checkbox (mixed
 * when only part of the group is picked). Used by the create modal and the settings form alike.
 */
export function EventPicker({ value, onChange, error, disabled, inputRef, scrollable = false }: EventPickerProps) {
  const errorId = useId();
  const selected = new Set(value);

  // Emits events in catalog order so the saved list and dirty checks are stable.
  function emit(next: Set<string>) {
    onChange(EVENT_GROUPS.flatMap((group) => group.events.map((event) => event.name)).filter((name) => next.has(name)));
  }

  function toggle(name: string, checked: boolean) {
    const next = new Set(selected);
    if (checked) next.add(name);
    else next.delete(name);
    emit(next);
  }

  function toggleGroup(names: readonly string[], checked: boolean) {
    const next = new Set(selected);
    for (const name of names) {
      if (checked) next.add(name);
      else next.delete(name);
    }
    emit(next);
  }

  return (
    <fieldset
      aria-describedby={error ? errorId : undefined}
      aria-invalid={error ? true : undefined}
      className="flex min-w-0 flex-col gap-3"
    >
      <legend className="mb-1.5 text-sm font-medium text-ink">
        Events
        <span aria-hidden="true" className="ml-0.5 text-red-600">
          *
        </span>
      </legend>
      <div
        data-testid="event-groups"
        className={cn(
          "grid min-w-0 gap-3 sm:grid-cols-2",
          // Scrolling follows the focused checkbox, so the keyboard reaches every event.
          scrollable && "max-h-[min(22rem,42vh)] overflow-y-auto overscroll-contain rounded-lg border border-line p-2",
        )}
      >
        {EVENT_GROUPS.map((group, groupIndex) => {
          const names = group.events.map((event) => event.name);
          const count = names.filter((name) => selected.has(name)).length;
          return (
            <div
              key={group.id}
              role="group"
              aria-label={`${group.label} events`}
              className="min-w-0 rounded-lg border border-line bg-canvas/50 p-3"
            >
              <Checkbox
                ref={groupIndex === 0 ? inputRef : undefined}
                label={<span className="font-medium">{group.label}</span>}
                aria-label={`Select all ${group.label} events`}
                checked={count === names.length}
                indeterminate={count > 0 && count < names.length}
                disabled={disabled}
                onChange={(event) => toggleGroup(names, event.currentTarget.checked)}
              />
              <div className="mt-2 flex flex-col gap-2 border-t border-line pl-6 pt-2">
                {group.events.map((event) => (
                  <Checkbox
                    key={event.name}
                    // Long names (OrganizationRole.Scopes.Updated) wrap at the dots instead of running past the border.
                    label={<EventName name={event.name} />}
                    aria-label={event.name}
                    description={event.description}
                    checked={selected.has(event.name)}
                    disabled={disabled}
                    onChange={(changed) => toggle(event.name, changed.currentTarget.checked)}
                  />
                ))}
              </div>
            </div>
          );
        })}
      </div>
      {error && (
        <p id={errorId} role="alert" className="text-xs text-red-600">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** The picker as the webhook form's `events` field (value, error, focus when invalid). */
export function EventsField({
  control,
  scrollable,
}: {
  control: Control<WebhookFormValues, unknown, ParsedWebhookForm>;
  scrollable?: boolean;
}) {
  return (
    <Controller
      control={control}
      name="events"
      render={({ field, fieldState }) => (
        <EventPicker
          value={field.value}
          onChange={field.onChange}
          error={fieldState.error?.message}
          inputRef={field.ref}
          scrollable={scrollable}
        />
      )}
    />
  );
}
