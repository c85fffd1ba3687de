"use client";

import { useRouter } from "next/navigation";
import { Button, Input, Modal, useToast } from "@/components/ui";
import { setServerErrors } from "@/lib/client/form-errors";
import { QueryProvider } from "@/components/query-provider";
import { EventsField } from "./event-picker";
import { useCreateHook } from "./queries";
import { EMPTY_WEBHOOK_FORM, useWebhookForm } from "./use-webhook-form";
import { hookName } from "./display-name";

export function CreateWebhookModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Modal
      open={open}
      onClose={onClose}
      // Wide enough for two columns of events whose longest names fit on one line.
      size="xl"
      title="Create webhook"
      description="Name it, give the endpoint that receives the requests, and pick the events that send them. You can change all of it later."
    >
      {/* Mounted only while open, so every opening starts from an empty form. The list has no
          query cache of its own (it renders on the server): the form brings it. */}
      <QueryProvider>
        <CreateWebhookForm onCancel={onClose} />
      </QueryProvider>
    </Modal>
  );
}

function CreateWebhookForm({ onCancel }: { onCancel: () => void }) {
  const router = useRouter();
  const toast = useToast();
  const create = useCreateHook();
  const { form, options } = useWebhookForm(EMPTY_WEBHOOK_FORM);
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit(async ({ name, events, config }) => {
    try {
      const hook = await create.mutateAsync({ name, events, config: { url: config.url } });
      toast.success(`Webhook "${hookName(hook)}" created.`);
      router.push(`/webhooks/${hook.id}`);
    } catch (error) {
      setServerErrors(form, error, "Could not create the webhook. Try again.");
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      <Input label="Name" required placeholder="e.g. Sync users to CRM" error={errors.name?.message} {...form.register("name")} />
      <Input
        label="Endpoint URL"
        type="url"
        inputMode="url"
        required
        placeholder="https://example.com/webhook"
        description={
          options.allowLocalEndpoints
            ? "The URL that receives a POST request for every event."
            : "A public https:// URL that receives a POST request for every event."
        }
        error={errors.config?.url?.message ?? errors.config?.message}
        autoComplete="off"
        spellCheck={false}
        {...form.register("config.url")}
      />
      <EventsField control={form.control} scrollable />
      {errors.root?.server && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">
          {errors.root.server.message}
        </p>
      )}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onCancel} disabled={create.isPending}>
          Cancel
        </Button>
        <Button type="submit" loading={create.isPending}>
          Create webhook
        </Button>
      </div>
    </form>
  );
}
