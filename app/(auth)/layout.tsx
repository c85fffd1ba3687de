import type { ReactNode } from "react";
import { WebhookIcon } from "@/components/ui";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center bg-canvas px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2 text-lg font-semibold text-ink">
          <span aria-hidden="true" className="flex size-8 items-center justify-center rounded-md bg-primary-solid text-white">
            <WebhookIcon size={18} />
          </span>
          Webhook Console
        </div>
        {children}
      </div>
    </main>
  );
}
