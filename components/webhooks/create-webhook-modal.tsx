"use client";

import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { Button, Input, Modal, useToast } from "@/components/ui";
import { EventPicker } from "./event-picker";
import type { HookFormState } from "./hook-form";
import { useCreateHook } from "./queries";
import { useHookForm } from "./use-hook-form";

const EMPTY: HookFormState = { name: "", url: "", events: [], headers: [] };

export function CreateWebhookModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Modal
      open={open}
      onClose={onClose}
      size="lg"
      title="Create webhook"
      description="Pick the events to send, then the endpoint that receives them. You can change both later."
    >
      {/* Mounted only while open, so every opening starts from an empty form. */}
      <CreateWebhookForm onCancel={onClose} />
    </Modal>
  );
}

function CreateWebhookForm({ onCancel }: { onCancel: () => void }) {
  const router = useRouter();
  const toast = useToast();
  const create = useCreateHook();
  const { options, values, errors, change, validate, refused } = useHookForm(EMPTY);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const parsed = validate(form);
    if (!parsed) return;
    try {
      const { name, events, config } = parsed;
      const hook = await create.mutateAsync({ name, events, config: { url: config.url } });
      toast.success(`Webhook "${hook.name}" created.`);
      router.push(`/webhooks/${hook.id}`);
    } catch (error) {
      refused(error, "Could not create the webhook. Try again.", form);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-5">
      <Input
        label="Name"
        name="name"
        required
        placeholder="e.g. Sync users to CRM"
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
        placeholder="https://example.com/webhook"
        description={
          options.allowLocalEndpoints
            ? "The URL that receives a POST request for every event."
            : "A public https:// URL that receives a POST request for every event."
        }
        value={values.url}
        error={errors.url}
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => change({ url: event.currentTarget.value })}
      />
      <EventPicker value={values.events} onChange={(events) => change({ events })} error={errors.events} />
      {errors.form && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">
          {errors.form}
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
