"use client";

import { useEffect, useRef } from "react";
import { Button, IconButton, Input, PlusIcon, TrashIcon } from "@/components/ui";

export type HeaderRow = { id: string; key: string; value: string };
export type HeaderRowErrors = Record<string, { key?: string; value?: string }>;

let nextRowId = 0;
/** Rows need stable React keys independent of their (editable) contents. */
export function newHeaderRow(key = "", value = ""): HeaderRow {
  nextRowId += 1;
  return { id: `header-${nextRowId}`, key, value };
}

export type HeadersEditorProps = {
  rows: HeaderRow[];
  onChange: (rows: HeaderRow[]) => void;
  errors?: HeaderRowErrors;
  /** An error about the headers as a whole (e.g. too many). */
  error?: string;
  disabled?: boolean;
};

/** Key/value editor for custom headers; empty rows are allowed here and dropped on save. */
export function HeadersEditor({ rows, onChange, errors = {}, error, disabled }: HeadersEditorProps) {
  const listRef = useRef<HTMLDivElement>(null);
  const addRef = useRef<HTMLButtonElement>(null);
  // Keyboard users land in the row they added, and on "Add header" after removing one.
  const focusTarget = useRef<string | null>(null);
  // Runs after every render; acts only once the row the click asked for exists (or is gone).
  useEffect(() => {
    const target = focusTarget.current;
    if (target === null) return;
    focusTarget.current = null;
    if (target === "add") addRef.current?.focus();
    else listRef.current?.querySelector<HTMLInputElement>(`[data-row="${target}"] input`)?.focus();
  });

  const update = (id: string, patch: Partial<HeaderRow>) =>
    onChange(rows.map((row) => (row.id === id ? { ...row, ...patch } : row)));

  return (
    <div ref={listRef} className="flex flex-col gap-2">
      {rows.map((row, index) => (
        <div key={row.id} data-row={row.id} className="grid grid-cols-[1fr_1fr_auto] items-start gap-2">
          <Input
            label={`Header ${index + 1} name`}
            hideLabel
            placeholder="Key"
            value={row.key}
            error={errors[row.id]?.key}
            disabled={disabled}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => update(row.id, { key: event.currentTarget.value })}
          />
          <Input
            label={`Header ${index + 1} value`}
            hideLabel
            placeholder="Value"
            value={row.value}
            error={errors[row.id]?.value}
            disabled={disabled}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => update(row.id, { value: event.currentTarget.value })}
          />
          <IconButton
            label={`Remove header ${index + 1}`}
            icon={<TrashIcon />}
            disabled={disabled}
            onClick={() => {
              onChange(rows.filter((candidate) => candidate.id !== row.id));
              focusTarget.current = "add";
            }}
            className="mt-0.5"
          />
        </div>
      ))}
      {error && (
        <p role="alert" className="text-xs text-red-600">
          {error}
        </p>
      )}
      <div>
        <Button
          ref={addRef}
          variant="text"
          size="md"
          icon={<PlusIcon />}
          disabled={disabled}
          onClick={() => {
            const row = newHeaderRow();
            onChange([...rows, row]);
            focusTarget.current = row.id;
          }}
        >
          Add header
        </Button>
      </div>
    </div>
  );
}
