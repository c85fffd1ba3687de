"use client";

import { useCallback, useState, type FormEvent } from "react";
import { Button, Card, Input, useToast } from "@/components/ui";
import { HOOK_HEADERS_MAX, type HookOutput } from "@/lib/hooks/schemas";
import { EventPicker } from "./event-picker";
import { HeadersEditor, newHeaderRow } from "./headers-editor";
import { hasErrors, type HookFormState } from "./hook-form";
import { useHook, useUpdateHook, type TestPayloadBody } from "./queries";
import { SigningKeyCard } from "./signing-key-card";
import { TestPayloadCard } from "./test-payload-card";
import { UnsavedChangesGuard } from "./unsaved-changes-guard";
import { useHookForm } from "./use-hook-form";

const toFormState = (hook: HookOutput): HookFormState => ({
  name: hook.name,
  url: hook.config.url,
  events: hook.events,
  headers: Object.entries(hook.config.headers).map(([key, value]) => newHeaderRow(key, value)),
});

/** What saving would send, after the schema's own normalisation (trim, blank rows dropped). */
function comparable(values: HookFormState) {
  return JSON.stringify({
    name: values.name.trim(),
    url: values.url.trim(),
    events: [...values.events].sort(),
    headers: values.headers
      .map((row) => [row.key.trim(), row.value.trim()])
      .filter(([key, value]) => key !== "" || value !== ""),
  });
}

export function WebhookSettings({ id }: { id: string }) {
  const hook = useHook(id);
  // The details layout shows loading and errors; this renders once the hook is there.
  return hook.data ? <SettingsForm hook={hook.data} /> : null;
}

function SettingsForm({ hook }: { hook: HookOutput }) {
  const toast = useToast();
  const update = useUpdateHook(hook.id);
  const [baselineHook, setBaselineHook] = useState(hook);
  const [baseline, setBaseline] = useState(() => toFormState(hook));
  const { options, values, setValues, errors, submitted, change, validate, refused, reset } = useHookForm(baseline);
  const dirty = comparable(values) !== comparable(baseline);

  // The hook changed on the server side (a save, the header's menu, a refetch): follow it unless
  // the admin has edits in progress, which keep priority over the refreshed values.
  if (hook !== baselineHook) {
    const next = toFormState(hook);
    setBaselineHook(hook);
    setBaseline(next);
    if (!dirty) setValues(next);
  }

  const discard = () => reset(baseline);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Enter in a field submits too; with nothing changed there is nothing to save.
    if (!dirty) return;
    const form = event.currentTarget;
    // Inline errors and the save bar say what is wrong; a toast here would cover the bar.
    const parsed = validate(form);
    if (!parsed) return;
    try {
      const { name, events, config } = parsed;
      // Rows go as typed: the server drops blank ones itself, and its error paths then point at
      // the same row indexes as the editor's.
      const saved = await update.mutateAsync({
        name,
        events,
        config: { url: config.url, headers: values.headers.map(({ key, value }) => ({ key, value })) },
      });
      const next = toFormState(saved);
      setBaselineHook(saved);
      setBaseline(next);
      reset(next);
      toast.success("Webhook saved.");
    } catch (error) {
      refused(error, "Could not save the webhook. Try again.", form);
    }
  }

  // The test card sends what the form holds now, so it is validated by the same rules first.
  const getTestInput = useCallback((): TestPayloadBody | null => {
    const parsed = validate();
    return parsed && { events: parsed.events, config: { url: parsed.config.url, headers: parsed.config.headers } };
  }, [validate]);

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Webhook settings" className="flex flex-col gap-4">
      <Card
        title="Settings"
        description="Webhooks receive a POST request at the endpoint URL whenever one of the selected events happens."
      >
        <div className="flex flex-col gap-5">
          <Input
            label="Name"
            name="name"
            required
            value={values.name}
            error={errors.name}
            onChange={(event) => change({ name: event.currentTarget.value })}
          />
          <Input
            label="Endpoint URL"
            name="url"
            type="url"
            inputMode="url"
            required
            value={values.url}
            error={errors.url}
            autoComplete="off"
            spellCheck={false}
            description={options.allowLocalEndpoints ? undefined : "A public https:// URL."}
            onChange={(event) => change({ url: event.currentTarget.value })}
          />
          <EventPicker value={values.events} onChange={(events) => change({ events })} error={errors.events} />
        </div>
      </Card>

      <Card
        title="Custom headers"
        description={`Sent with every request to the endpoint, e.g. a token your receiver checks. Up to ${HOOK_HEADERS_MAX}; rows left empty are ignored.`}
      >
        <HeadersEditor
          rows={values.headers}
          onChange={(headers) => change({ headers })}
          errors={errors.headerRows}
          error={errors.headers}
        />
      </Card>

      <SigningKeyCard hook={hook} />

      <TestPayloadCard hookId={hook.id} getInput={getTestInput} />

      {errors.form && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {errors.form}
        </p>
      )}

      {dirty && (
        <div
          role="region"
          aria-label="Unsaved changes"
          className="sticky bottom-0 z-20 -mx-1 flex items-center justify-between gap-4 rounded-xl border border-line bg-surface/95 px-4 py-3 shadow-lg backdrop-blur"
        >
          <p className="text-sm text-ink-muted">
            {submitted && hasErrors(errors) ? "Some fields need fixing before saving." : "You have unsaved changes."}
          </p>
          <div className="flex gap-2">
            <Button variant="secondary" onClick={discard} disabled={update.isPending}>
              Discard changes
            </Button>
            <Button type="submit" loading={update.isPending}>
              Save changes
            </Button>
          </div>
        </div>
      )}

      <UnsavedChangesGuard when={dirty && !update.isPending} />
    </form>
  );
}
