"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button, Card, Input } from "@/components/ui";
import { credentialsSchema, setupSchema } from "@/lib/auth/schemas";
import { ApiError, apiFetch } from "@/lib/client/api";
import { fieldErrorsOf } from "@/lib/errors";

type Mode = "sign-in" | "setup";

const COPY: Record<Mode, { title: string; description: string; submit: string; endpoint: string }> = {
  "sign-in": { title: "Sign in", description: "Sign in with your admin account.", submit: "Sign in", endpoint: "/api/auth/sign-in" },
  setup: {
    title: "Create the admin account",
    description: "No admin exists yet. This account manages webhooks and API keys.",
    submit: "Create account",
    endpoint: "/api/auth/setup",
  },
};

export function AuthForm({ mode }: { mode: Mode }) {
  const router = useRouter();
  const searchParams = useSearchParams();
  const copy = COPY[mode];
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = { email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") };
    const parsed = (mode === "setup" ? setupSchema : credentialsSchema).safeParse(input);
    setFormError(undefined);
    if (!parsed.success) {
      setErrors(Object.fromEntries(fieldErrorsOf(parsed.error).map((f) => [f.path, f.message])));
      return;
    }
    setErrors({});
    setPending(true);
    try {
      await apiFetch(copy.endpoint, { body: parsed.data });
      const next = searchParams.get("next");
      router.replace(next?.startsWith("/") && !next.startsWith("//") ? next : "/webhooks");
      router.refresh();
    } catch (error) {
      if (error instanceof ApiError && error.fields.length > 0) setErrors(error.fieldMap());
      else setFormError(error instanceof Error ? error.message : "Something went wrong.");
      setPending(false);
    }
  }

  return (
    <Card>
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
        <div>
          <h1 className="text-lg font-semibold text-ink">{copy.title}</h1>
          <p className="mt-1 text-sm text-ink-muted">{copy.description}</p>
        </div>
        <Input label="Email" name="email" type="email" autoComplete="email" required error={errors.email} autoFocus />
        <Input
          label="Password"
          name="password"
          type="password"
          autoComplete={mode === "setup" ? "new-password" : "current-password"}
          required
          error={errors.password}
          description={mode === "setup" ? "At least 10 characters." : undefined}
        />
        {formError && (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {formError}
          </p>
        )}
        <Button type="submit" loading={pending}>
          {copy.submit}
        </Button>
      </form>
    </Card>
  );
}
