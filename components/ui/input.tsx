import { useId, type ComponentPropsWithRef, type ReactNode } from "react";
import { cn } from "./cn";

/** Props a Field hands to its control so label, description and error are linked. */
export type FieldControlProps = {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
};

export type FieldProps = {
  label: ReactNode;
  /** Keeps the label for assistive tech only (e.g. inside a table row). */
  hideLabel?: boolean;
  description?: ReactNode;
  error?: string;
  required?: boolean;
  id?: string;
  /** Layout classes for the wrapper. */
  className?: string;
  children: (control: FieldControlProps) => ReactNode;
};

/** Label + control + description + inline error; wraps any labelable control. */
export function Field({ label, hideLabel, description, error, required, id, className, children }: FieldProps) {
  const autoId = useId();
  const controlId = id ?? autoId;
  const descriptionId = description ? `${controlId}-description` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  const describedBy = [descriptionId, errorId].filter(Boolean).join(" ") || undefined;

  return (
    <div className={cn("flex flex-col gap-1.5", className)}>
      <label htmlFor={controlId} className={cn("text-sm font-medium text-ink", hideLabel && "sr-only")}>
        {label}
        {required && (
          <span aria-hidden="true" className="ml-0.5 text-red-600">
            *
          </span>
        )}
      </label>
      {children({ id: controlId, "aria-describedby": describedBy, "aria-invalid": error ? true : undefined })}
      {description && (
        <p id={descriptionId} className="text-xs text-ink-muted">
          {description}
        </p>
      )}
      {error && (
        <p id={errorId} className="text-xs text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}

const controlStyles =
  "block w-full rounded-md border border-line-strong bg-surface px-3 text-sm text-ink shadow-xs transition-colors " +
  "placeholder:text-ink-subtle hover:border-neutral-400 focus-visible:border-primary-600 focus-visible:outline-offset-0 " +
  "disabled:cursor-not-allowed disabled:bg-neutral-50 disabled:text-ink-muted " +
  "aria-invalid:border-red-500 aria-invalid:focus-visible:outline-red-500";

type FieldOwnProps = Omit<FieldProps, "children" | "className"> & {
  /** Layout classes for the wrapper (the control's look is fixed by the design system). */
  className?: string;
};

export type InputProps = Omit<ComponentPropsWithRef<"input">, "children" | "className"> & FieldOwnProps;

export function Input({ label, hideLabel, description, error, required, id, className, ...props }: InputProps) {
  return (
    <Field {...{ label, hideLabel, description, error, required, id, className }}>
      {(control) => <input {...props} {...control} required={required} className={cn(controlStyles, "h-9")} />}
    </Field>
  );
}

export type TextAreaProps = Omit<ComponentPropsWithRef<"textarea">, "children" | "className"> & FieldOwnProps;

export function TextArea({ label, hideLabel, description, error, required, id, className, rows = 4, ...props }: TextAreaProps) {
  return (
    <Field {...{ label, hideLabel, description, error, required, id, className }}>
      {(control) => <textarea {...props} {...control} rows={rows} required={required} className={cn(controlStyles, "py-2")} />}
    </Field>
  );
}
