"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import type { UseMutationResult } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import {
  Button,
  Card,
  ConfirmDialog,
  CopyButton,
  EmptyState,
  Input,
  KeyIcon,
  Modal,
  PlusIcon,
  Table,
  Tag,
  type TableColumn,
  useToast,
} from "@/components/ui";
import type { ApiKeyOutput, ApiKeyScope, CreateApiKeyInput } from "@/lib/api-keys/schemas";
import { createApiKeySchema } from "@/lib/api-keys/schemas";
import { setServerErrors } from "@/lib/client/form-errors";
import { PageHeader } from "@/components/shell/page-header";
import { formatTime } from "@/components/deliveries/format";
import { useApiKeys, useCreateApiKey, useRevokeApiKey, type CreateApiKeyBody, type CreatedKey } from "./queries";

// The console's one date format ("1 Dec, 17:52:06"), as in the request log.
const formatKeyTime = (iso: string | null) => (iso ? formatTime(Date.parse(iso)) : "Never");

const SCOPE_CHOICES: { scope: ApiKeyScope; label: string; description: string }[] = [
  { scope: "ingest", label: "Ingest", description: "Only sends events (POST /api/events and /api/events/batch). For applications." },
  {
    scope: "admin",
    label: "Admin",
    description: "Manages webhooks and reads their signing keys and requests. For provisioning and automation.",
  },
];

/** `environmentKeys`: names of the API_KEY variables that are set (admin keys the console cannot revoke). */
export function ApiKeysView({ environmentKeys = [] }: { environmentKeys?: string[] }) {
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyOutput | null>(null);

  const keys = useApiKeys();
  const create = useCreateApiKey((key) => {
    setCreating(false);
    setCreated(key);
  });
  const revokeKey = useRevokeApiKey();
  const revoke = (id: string) =>
    revokeKey.mutateAsync(id, {
      onSuccess: () => toast.success("API key revoked."),
      onError: () => toast.error("Could not revoke the key."),
    });

  const columns: TableColumn<ApiKeyOutput>[] = [
    { key: "name", header: "Name", render: (key) => <span className="font-medium text-ink">{key.name}</span> },
    {
      key: "prefix",
      header: "Key",
      className: "hidden sm:table-cell",
      render: (key) => <code className="text-xs text-ink-muted">{key.prefix}…</code>,
    },
    {
      key: "scope",
      header: "Scope",
      render: (key) => <Tag color={key.scope === "admin" ? "warning" : "neutral"}>{key.scope === "admin" ? "Admin" : "Ingest"}</Tag>,
    },
    { key: "created", header: "Created", className: "hidden md:table-cell", render: (key) => formatKeyTime(key.createdAt) },
    { key: "used", header: "Last used", className: "hidden sm:table-cell", render: (key) => formatKeyTime(key.lastUsedAt) },
    {
      key: "actions",
      header: <span className="sr-only">Actions</span>,
      align: "right",
      render: (key) => (
        <Button variant="text" size="sm" onClick={() => setRevoking(key)} aria-label={`Revoke ${key.name}`}>
          Revoke
        </Button>
      ),
    },
  ];

  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title="API keys"
        description={
          <>
            Applications use an API key as <code>Authorization: Bearer &lt;key&gt;</code>: an ingest key only sends events, an admin key
            also manages webhooks. Every route is in the{" "}
            <a className="underline" href="/api-reference">
              API reference
            </a>
            .
          </>
        }
        actions={
          <Button onClick={() => setCreating(true)}>
            <PlusIcon size={16} /> Create API key
          </Button>
        }
      />
      {environmentKeys.length > 0 && (
        <Card>
          <p className="text-sm text-ink" data-testid="environment-key-notice">
            <span className="font-medium">An environment key is active</span> ({environmentKeys.join(" and ")}, admin scope). It is set
            where the server runs and cannot be revoked here: unset it and restart. To rotate it, set the new key as{" "}
            <code>API_KEY_NEXT</code>, move your callers to it, then make it <code>API_KEY</code>.
          </p>
        </Card>
      )}
      <Card flush>
        <Table
          aria-label="API keys"
          columns={columns}
          rows={keys.data}
          rowKey={(key) => key.id}
          loading={keys.isPending}
          empty={
            <EmptyState icon={<KeyIcon size={24} />} title="No API keys" description="Create one to call the API from your applications." />
          }
        />
      </Card>

      <Modal open={creating} onClose={() => setCreating(false)} title="Create API key">
        {/* Mounted only while open, so every opening starts from an empty form. */}
        <CreateApiKeyForm create={create} onCancel={() => setCreating(false)} />
      </Modal>

      <Modal open={created !== null} onClose={() => setCreated(null)} title="Copy your API key">
        <div className="flex flex-col gap-3">
          <p className="text-sm text-ink-muted">This is the only time the key is shown. Store it somewhere safe.</p>
          <div className="flex items-center gap-2 rounded-md border border-line bg-canvas px-3 py-2">
            <code data-testid="new-api-key" className="flex-1 break-all text-sm">
              {created?.key}
            </code>
            {created && <CopyButton value={created.key} label="Copy API key" />}
          </div>
          <div className="flex justify-end">
            <Button onClick={() => setCreated(null)}>Done</Button>
          </div>
        </div>
      </Modal>

      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title="Revoke API key"
        message={`Applications using "${revoking?.name}" will get 401 from now on. This cannot be undone.`}
        confirmLabel="Revoke"
        danger
        onConfirm={async () => {
          if (revoking) await revoke(revoking.id);
          setRevoking(null);
        }}
      />
    </div>
  );
}

function CreateApiKeyForm({ create, onCancel }: { create: UseMutationResult<CreatedKey, Error, CreateApiKeyBody>; onCancel: () => void }) {
  const form = useForm<CreateApiKeyInput, unknown, CreateApiKeyBody>({
    resolver: zodResolver(createApiKeySchema),
    // The console preselects the least privilege.
    defaultValues: { name: "", scope: "ingest" },
  });
  const { errors } = form.formState;
  const onSubmit = form.handleSubmit(async (input) => {
    try {
      await create.mutateAsync(input);
    } catch (error) {
      setServerErrors(form, error, "Could not create the key.");
    }
  });
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      <Input
        label="Name"
        placeholder="e.g. Production backend"
        error={errors.name?.message}
        autoFocus
        required
        {...form.register("name")}
      />
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium text-ink">Scope</legend>
        {SCOPE_CHOICES.map((choice) => (
          <label key={choice.scope} className="flex cursor-pointer items-start gap-2 rounded-md border border-line p-3 text-sm">
            <input type="radio" value={choice.scope} className="mt-0.5" {...form.register("scope")} />
            <span>
              <span className="font-medium text-ink">{choice.label}</span>
              <span className="block text-ink-muted">{choice.description}</span>
            </span>
          </label>
        ))}
        {errors.scope && <p className="text-xs text-red-600">{errors.scope.message}</p>}
      </fieldset>
      {errors.root?.server && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {errors.root.server.message}
        </p>
      )}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" loading={create.isPending}>
          Create
        </Button>
      </div>
    </form>
  );
}
