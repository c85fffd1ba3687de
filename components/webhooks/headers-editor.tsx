"use client";

import { useEffect, useRef } from "react";
import { useFieldArray, useFormState, type UseFormReturn } from "react-hook-form";
import { Button, IconButton, Input, PlusIcon, TrashIcon } from "@/components/ui";
import type { ParsedWebhookForm, WebhookFormValues } from "./use-webhook-form";

export type HeadersEditorProps = {
  form: UseFormReturn<WebhookFormValues, unknown, ParsedWebhookForm>;
  disabled?: boolean;
};

/**
 * Key/value editor for custom headers (`config.headers` of the form); empty rows are allowed
 * here and dropped on save. Rows keep stable keys through useFieldArray, and their errors sit at
 * the schema's own paths (`config.headers.2.key`), whether the browser or the server found them.
 */
export function HeadersEditor({ form, disabled }: HeadersEditorProps) {
  const { fields, append, remove } = useFieldArray({ control: form.control, name: "config.headers" });
  const { errors } = useFormState({ control: form.control, name: "config.headers" });
  const rowErrors = errors.config?.headers;
  const listError = rowErrors?.message ?? rowErrors?.root?.message;
  const addRef = useRef<HTMLButtonElement>(null);
  // Keyboard users land on "Add header" after removing a row (append focuses the new row itself).
  const focusAdd = useRef(false);
  useEffect(() => {
    if (!focusAdd.current) return;
    focusAdd.current = false;
    addRef.current?.focus();
  });

  return (
    <div className="flex flex-col gap-2">
      {fields.map((field, index) => (
        <div key={field.id} className="grid grid-cols-[1fr_1fr_auto] items-start gap-2">
          <Input
            label={`Header ${index + 1} name`}
            hideLabel
            placeholder="Key"
            error={rowErrors?.[index]?.key?.message}
            disabled={disabled}
            autoComplete="off"
            spellCheck={false}
            {...form.register(`config.headers.${index}.key`)}
          />
          <Input
            label={`Header ${index + 1} value`}
            hideLabel
            placeholder="Value"
            error={rowErrors?.[index]?.value?.message}
            disabled={disabled}
            autoComplete="off"
            spellCheck={false}
            {...form.register(`config.headers.${index}.value`)}
          />
          <IconButton
            label={`Remove header ${index + 1}`}
            icon={<TrashIcon />}
            disabled={disabled}
            onClick={() => {
              remove(index);
              focusAdd.current = true;
            }}
            className="mt-0.5"
          />
        </div>
      ))}
      {listError && (
        <p role="alert" className="text-xs text-red-600">
          {listError}
        </p>
      )}
      <div>
        <Button
          ref={addRef}
          variant="text"
          size="md"
          icon={<PlusIcon />}
          disabled={disabled}
          onClick={() => append({ key: "", value: "" })}
        >
          Add header
        </Button>
      </div>
    </div>
  );
}
