// Form state shared by the create modal and the settings form: react-hook-form with the zod
// resolver on the same schema the API parses with. Errors appear on the first submit and then
// follow each edit (react-hook-form's onSubmit mode with re-validation on change).
import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { isHookEvent } from "@/lib/hooks/events";
import { hookFormSchema, subscribedEvents, type HookFormValues, type HookOutput } from "@/lib/hooks/schemas";
import { useHookSchemaOptions } from "./queries";

/** What the form holds: the schema's input; headers as ordered rows (blank ones allowed, dropped by the schema). */
export type WebhookFormValues = HookFormValues;
export type ParsedWebhookForm = z.output<ReturnType<typeof hookFormSchema>>;

export const EMPTY_WEBHOOK_FORM: WebhookFormValues = { name: "", events: [], config: { url: "", headers: [] } };

export const toWebhookFormValues = (hook: HookOutput): WebhookFormValues => ({
  name: hook.name,
  events: subscribedEvents(hook).filter(isHookEvent),
  config: { url: hook.config.url, headers: Object.entries(hook.config.headers).map(([key, value]) => ({ key, value })) },
});

export function useWebhookForm(defaultValues: WebhookFormValues) {
  const options = useHookSchemaOptions();
  const form = useForm<WebhookFormValues, unknown, ParsedWebhookForm>({
    resolver: zodResolver(hookFormSchema(options)),
    defaultValues,
  });
  return { form, options };
}
