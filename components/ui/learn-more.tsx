import { ExternalLinkIcon } from "./icons";

/**
 * Where Logto's console links to its docs, ours does too: the concepts (events, payloads,
 * signatures, retries) are Logto's and so are the pages that explain them.
 */
export const DOCS = {
  webhooks: "https://docs.logto.io/developers/webhooks",
  configure: "https://docs.logto.io/developers/webhooks/configure-webhooks",
  secure: "https://docs.logto.io/developers/webhooks/secure-webhooks",
} as const;

/** "Learn more" after a description, as Logto's CardTitle and FormField tips show it; opens in a new tab. */
export function LearnMore({ href, topic }: { href: string; topic?: string }) {
  return (
    <>
      {" "}
      <a
        href={href}
        target="_blank"
        rel="noopener noreferrer"
        className="inline-flex items-center gap-0.5 whitespace-nowrap font-medium text-primary-600 hover:underline"
      >
        Learn more
        {topic && <span className="sr-only"> about {topic}</span>}
        <ExternalLinkIcon size={12} />
        <span className="sr-only"> (opens in a new tab)</span>
      </a>
    </>
  );
}
