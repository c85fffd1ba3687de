const sizes = { sm: "size-4", md: "size-5", lg: "size-8" } as const;

export type SpinnerProps = {
  size?: keyof typeof sizes;
  /** When set, the spinner is announced as a status; without it, it is decorative. */
  label?: string;
};

// No className (and so no tailwind-merge): a button's spinner is on the first paint (issue 13).
export function Spinner({ size = "md", label }: SpinnerProps) {
  const svg = (
    <svg className={`animate-spin ${sizes[size]}`} viewBox="0 0 24 24" fill="none" aria-hidden="true">
      <circle cx="12" cy="12" r="10" stroke="currentColor" strokeWidth="4" className="opacity-25" />
      <path d="M4 12a8 8 0 0 1 8-8v4a4 4 0 0 0-4 4H4z" fill="currentColor" className="opacity-75" />
    </svg>
  );
  if (!label) return svg;
  return (
    <span role="status" className="inline-flex items-center">
      {svg}
      <span className="sr-only">{label}</span>
    </span>
  );
}
