"use client";

import { useCallback, useEffect, useMemo } from "react";
import { useWatch } from "react-hook-form";
import { Button, Card, DOCS, Input, LearnMore, useToast } from "@/components/ui";
import { setServerErrors } from "@/lib/client/form-errors";
import { HOOK_HEADERS_MAX, hookFormSchema, type HookOutput } from "@/lib/hooks/schemas";
import { EventsField } from "./event-picker";
import { HeadersEditor } from "./headers-editor";
import { useHook, useUpdateHook, type TestPayloadBody } from "./queries";
import { SigningKeyCard } from "./signing-key-card";
import { TestPayloadCard } from "./test-payload-card";
import { UnsavedChangesGuard } from "./unsaved-changes-guard";
import { toWebhookFormValues, useWebhookForm, type WebhookFormValues } from "./use-webhook-form";

/** What saving would send, after the schema's own normalisation (trim, blank rows dropped). */
function comparable(values: WebhookFormValues) {
  return JSON.stringify({
    name: values.name.trim(),
    url: values.config.url.trim(),
    events: [...values.events].sort(),
    headers: (values.config.headers ?? [])
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
  const baseline = useMemo(() => toWebhookFormValues(hook), [hook]);
  const { form, options } = useWebhookForm(baseline);
  const { errors, isSubmitted } = form.formState;
  const values = useWatch({ control: form.control, compute: (all: WebhookFormValues) => all });
  const dirty = comparable(values) !== comparable(baseline);

  // The hook changed on the server side (a save, the header's menu, a refetch): follow it, but
  // fields the admin is editing keep their values.
  useEffect(() => {
    form.reset(baseline, { keepDirtyValues: true });
  }, [baseline, form]);

  const onSubmit = form.handleSubmit(async ({ name, events, config }) => {
    // Enter in a field submits too; with nothing changed there is nothing to save.
    if (!dirty) return;
    try {
      // Rows go as typed: the server drops blank ones itself, and its error paths then point at
      // the same rows as the form's.
      const saved = await update.mutateAsync({
        name,
        events,
        config: { url: config.url, headers: form.getValues("config.headers") ?? [] },
      });
      form.reset(toWebhookFormValues(saved));
      toast.success("Webhook saved.");
    } catch (error) {
      const message = setServerErrors(form, error, "Could not save the webhook. Try again.");
      if (message) toast.error(message);
    }
  });

  // The test card sends what the form holds now, so it is validated by the same rules first.
  const getTestInput = useCallback(async (): Promise<TestPayloadBody | null> => {
    if (!(await form.trigger())) return null;
    const parsed = hookFormSchema(options).safeParse(form.getValues());
    return parsed.success
      ? { events: parsed.data.events, config: { url: parsed.data.config.url, headers: parsed.data.config.headers } }
      : null;
  }, [form, options]);

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Webhook settings" className="flex flex-col gap-4">
      <Card
        title="Settings"
        description={
          <>
            Webhooks receive a POST request at the endpoint URL whenever one of the selected events happens.
            <LearnMore href={DOCS.configure} topic="configuring webhooks" />
          </>
        }
      >
        <div className="flex flex-col gap-5">
          <Input label="Name" required error={errors.name?.message} {...form.register("name")} />
          <Input
            label="Endpoint URL"
            type="url"
            inputMode="url"
            required
            error={errors.config?.url?.message ?? errors.config?.message}
            autoComplete="off"
            spellCheck={false}
            description={options.allowLocalEndpoints ? undefined : "A public https:// URL."}
            {...form.register("config.url")}
          />
          <EventsField control={form.control} />
        </div>
      </Card>

      <Card
        title="Custom headers"
        description={`Sent with every request to the endpoint, e.g. a token your receiver checks. Up to ${HOOK_HEADERS_MAX}; rows left empty are ignored.`}
      >
        <HeadersEditor form={form} />
      </Card>

      <SigningKeyCard hook={hook} />

      <TestPayloadCard hookId={hook.id} getInput={getTestInput} />

      {errors.root?.server && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {errors.root.server.message}
        </p>
      )}

      {dirty && (
        <div
          role="region"
          aria-label="Unsaved changes"
          className="sticky bottom-0 z-20 -mx-1 flex items-center justify-between gap-4 rounded-xl border border-line bg-surface/95 px-4 py-3 shadow-lg backdrop-blur"
        >
          <p className="text-sm text-ink-muted">
            {isSubmitted && Object.keys(errors).length > 0 ? "Some fields need fixing before saving." : "You have unsaved changes."}
          </p>
          <div className="flex gap-2">
            <Button variant="secondary" onClick={() => form.reset(baseline)} disabled={update.isPending}>
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
