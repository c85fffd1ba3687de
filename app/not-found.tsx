import Link from "next/link";
import { Illustration } from "@/components/shell/illustration";
import { Brand } from "@/components/shell/brand";
import { buttonStyles } from "@/components/ui/button";

export const metadata = { title: "Page not found" };

/** Every unknown URL: the console's own page instead of Next's bare 404. */
export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-6 bg-canvas px-4 py-12 text-center">
      <Brand size="lg" />
      <Illustration kind="lost" />
      <div>
        <h1 className="text-xl font-semibold text-ink">Page not found</h1>
        <p className="mt-2 max-w-md text-sm text-ink-muted">
          There is nothing at this address. It may have moved, or the link may be mistyped.
        </p>
      </div>
      <Link href="/webhooks" className={buttonStyles()}>
        Go to webhooks
      </Link>
    </main>
  );
}
