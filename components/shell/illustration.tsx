// Drawn for this console (no artwork copied): an empty state's picture, in the theme's colours so
// it follows light and dark mode. Decorative: the text next to it says what it means.
export type IllustrationKind = "webhooks" | "requests" | "keys" | "lost";

// No className: the error page (a client component on every page's first load) draws one, with no tailwind-merge.
export function Illustration({ kind }: { kind: IllustrationKind }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 160 96" className="h-24 w-40 text-primary-600" fill="none">
      {/* A stack of cards, the back ones fainter. */}
      <rect x="34" y="10" width="92" height="56" rx="8" className="fill-primary-50 stroke-line-strong" strokeWidth="1.5" />
      <rect x="24" y="22" width="112" height="64" rx="9" className="fill-surface stroke-line-strong" strokeWidth="1.5" />
      {kind === "webhooks" && (
        <g stroke="currentColor" strokeWidth="3" strokeLinecap="round">
          <circle cx="62" cy="54" r="7" />
          <circle cx="98" cy="54" r="7" />
          <circle cx="80" cy="40" r="7" />
          <path d="M69 54h22M76 46l-9 3M84 46l9 3" />
        </g>
      )}
      {kind === "requests" && (
        <g strokeLinecap="round">
          {[40, 54, 68].map((y, index) => (
            <g key={y}>
              <circle cx="42" cy={y} r="3.5" className={index === 1 ? "fill-red-500" : "fill-green-500"} />
              <path d={`M52 ${y}h${index === 1 ? 48 : 70}`} className="stroke-line-strong" strokeWidth="4" />
            </g>
          ))}
        </g>
      )}
      {kind === "keys" && (
        <g stroke="currentColor" strokeWidth="3" strokeLinecap="round" strokeLinejoin="round">
          <circle cx="64" cy="54" r="11" />
          <path d="M75 54h30M97 54v9M105 54v6" />
        </g>
      )}
      {kind === "lost" && (
        <g stroke="currentColor" strokeWidth="3" strokeLinecap="round">
          <path d="M58 44l10 10M68 44L58 54M92 44l10 10M102 44L92 54" />
          <path d="M66 72c8-6 20-6 28 0" />
        </g>
      )}
    </svg>
  );
}
