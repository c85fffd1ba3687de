// Form state shared by the create modal and the settings form: values, inline errors that appear
// on the first submit and then follow each edit, and the server's verdict mapped onto fields.
import { useCallback, useState } from "react";
import { focusFirstError, serverFormErrors, validateHookForm, type HookFormErrors, type HookFormState, type ParsedHookForm } from "./hook-form";
import { useHookSchemaOptions } from "./queries";

export function useHookForm(initial: HookFormState | (() => HookFormState)) {
  const options = useHookSchemaOptions();
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<HookFormErrors>({});
  // Errors appear on submit, then follow each edit so they clear as soon as the input is fixed.
  const [submitted, setSubmitted] = useState(false);

  function change(patch: Partial<HookFormState>) {
    const next = { ...values, ...patch };
    setValues(next);
    if (submitted) setErrors(validateHookForm(next, options).errors ?? {});
  }

  /** What the form holds, parsed; or null with the errors shown (focus on the first when `form` is given). */
  const validate = useCallback(
    (form?: HTMLElement): ParsedHookForm | null => {
      setSubmitted(true);
      const parsed = validateHookForm(values, options);
      if (parsed.errors) {
        setErrors(parsed.errors);
        if (form) focusFirstError(form);
        return null;
      }
      setErrors({});
      return parsed.data;
    },
    [values, options],
  );

  /** Shows why the server refused the submitted values. */
  function refused(error: unknown, fallback: string, form: HTMLElement) {
    setErrors(serverFormErrors(error, values.headers, fallback));
    focusFirstError(form);
  }

  /** Starts over from `next`: no errors until the next submit. */
  function reset(next: HookFormState) {
    setValues(next);
    setErrors({});
    setSubmitted(false);
  }

  return { options, values, setValues, errors, submitted, change, validate, refused, reset };
}
