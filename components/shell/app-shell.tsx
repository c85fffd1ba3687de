// The console's frame, rendered on the server: only the sidebar (it marks the current page) and
// the account menu are client islands (shell-islands.tsx), so a page's first load hydrates little
// of it (mobile Lighthouse, issue 13).
import type { ReactNode } from "react";
import { AlertTriangleIcon } from "@/components/ui/icons";
import type { Theme } from "@/lib/theme/theme";
import { Brand } from "./brand";
import { LazyAccountMenu, MainNav } from "./shell-islands";

export type AppShellProps = {
  /** Signed-in admin, shown in the user menu. */
  email: string;
  /** Amber banner across the top (e.g. insecure settings in effect). */
  warning?: string;
  /** The admin's theme choice, from the cookie (the user menu changes it). */
  theme: Theme;
  children: ReactNode;
};

export function AppShell({ email, warning, theme, children }: AppShellProps) {
  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-surface px-3 py-2 text-sm font-medium focus:not-sr-only focus:fixed focus:left-3 focus:top-3"
      >
        Skip to content
      </a>

      {/* A landmark of its own, so screen-reader users meet it as part of the page. */}
      {warning && (
        <aside
          aria-label="Development setting"
          className="flex items-start gap-2 border-b border-amber-200 bg-amber-50 px-4 py-1.5 text-xs text-amber-900 sm:items-center"
        >
          <AlertTriangleIcon className="mt-px shrink-0 text-amber-600 sm:mt-0" />
          <p>{warning}</p>
        </aside>
      )}

      {/* Opaque, not a blurred translucent bar: a backdrop filter is recomposited on every frame
          (scrolling, any animation), CPU work a phone's first load competes with (issue 13). */}
      <header className="sticky top-0 z-30 flex h-14 items-center justify-between gap-4 border-b border-line bg-canvas px-4">
        <Brand />
        <LazyAccountMenu email={email} theme={theme} />
      </header>

      <div className="flex flex-1 flex-col md:flex-row">
        <MainNav />

        <main id="main" tabIndex={-1} className="min-w-0 flex-1 px-4 pb-10 pt-3 focus:outline-none md:px-8 md:pt-5">
          <div className="mx-auto max-w-6xl">{children}</div>
        </main>
      </div>
    </div>
  );
}
