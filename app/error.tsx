"use client";

import Link from "next/link";
import { useEffect } from "react";
import { Illustration } from "@/components/shell/illustration";
// button-base, not button: the error page is on every first load, and needs no tailwind-merge.
import { PlainButton, buttonStyles } from "@/components/ui/button-base";

/**
 * A page that failed to render: said plainly, with a way to retry and a way out. The message of
 * a server error is never shown (production hides it anyway); the digest lets an operator find it
 * in the server log.
 */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <main className="flex min-h-[60vh] flex-col items-center justify-center gap-6 px-4 py-12 text-center">
      <Illustration kind="lost" />
      <div>
        <h1 className="text-xl font-semibold text-ink">Something went wrong</h1>
        <p className="mt-2 max-w-md text-sm text-ink-muted">
          This page could not be shown. Try again; if it keeps happening, the server log has the details
          {error.digest ? (
            <>
              {" "}
              (reference <code className="text-xs">{error.digest}</code>)
            </>
          ) : null}
          .
        </p>
      </div>
      <div className="flex flex-wrap justify-center gap-2">
        <PlainButton onClick={reset}>Try again</PlainButton>
        <Link href="/webhooks" className={buttonStyles({ variant: "secondary" })}>
          Go to webhooks
        </Link>
      </div>
    </main>
  );
}
