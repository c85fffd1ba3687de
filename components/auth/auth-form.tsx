"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter, useSearchParams } from "next/navigation";
import { useForm } from "react-hook-form";
import { Button, Card, Input } from "@/components/ui";
import { credentialsSchema, setupSchema, type SetupInput } from "@/lib/auth/schemas";
import { apiFetch } from "@/lib/client/api";
import { setServerErrors } from "@/lib/client/form-errors";

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

/** `askSetupToken`: setup from another machine than the server's needs the token `npm start` printed. */
export function AuthForm({ mode, askSetupToken = false }: { mode: Mode; askSetupToken?: boolean }) {
  const router = useRouter();
  const searchParams = useSearchParams();
  const copy = COPY[mode];
  // Sign-in is the same shape without the setup token (credentialsSchema drops it).
  const form = useForm<SetupInput>({
    resolver: zodResolver(mode === "setup" ? setupSchema : credentialsSchema),
    defaultValues: { email: "", password: "" },
  });
  const { errors, isSubmitting, isSubmitSuccessful } = form.formState;

  const onSubmit = form.handleSubmit(async (input) => {
    try {
      await apiFetch(copy.endpoint, { body: input });
      const next = searchParams.get("next");
      router.replace(next?.startsWith("/") && !next.startsWith("//") ? next : "/webhooks");
      router.refresh();
    } catch (error) {
      setServerErrors(form, error, "Something went wrong.");
    }
  });
  // Stays busy after a success until the console replaces this page.
  const pending = isSubmitting || (isSubmitSuccessful && !errors.root);

  return (
    <Card>
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
        <div>
          <h1 className="text-lg font-semibold text-ink">{copy.title}</h1>
          <p className="mt-1 text-sm text-ink-muted">{copy.description}</p>
        </div>
        <Input
          label="Email"
          type="email"
          autoComplete="email"
          required
          error={errors.email?.message}
          autoFocus
          {...form.register("email")}
        />
        <Input
          label="Password"
          type="password"
          autoComplete={mode === "setup" ? "new-password" : "current-password"}
          required
          error={errors.password?.message}
          description={mode === "setup" ? "At least 12 characters, not made of common words." : undefined}
          {...form.register("password")}
        />
        {mode === "setup" && askSetupToken && (
          <Input
            label="Setup token"
            autoComplete="off"
            required
            error={errors.setupToken?.message}
            description="Printed on the terminal where the server was started (npm start)."
            {...form.register("setupToken")}
          />
        )}
        {errors.root?.server && (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {errors.root.server.message}
          </p>
        )}
        <Button type="submit" loading={pending}>
          {copy.submit}
        </Button>
      </form>
    </Card>
  );
}
