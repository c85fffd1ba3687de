"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { ConfirmDialog } from "@/components/ui";

/**
 * While `when` is true: the browser asks before unloading (reload, close, external links), and
 * in-app link clicks ask in our own dialog first. The App Router has no cancellable navigation
 * event, so link clicks are caught in the capture phase, before Next's <Link> sees them.
 */
export function UnsavedChangesGuard({ when }: { when: boolean }) {
  const router = useRouter();
  const [pendingHref, setPendingHref] = useState<string | null>(null);

  useEffect(() => {
    if (!when) return;

    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older Chromium needs returnValue set to show the prompt.
      event.returnValue = "";
    };

    const onClick = (event: MouseEvent) => {
      // Modified clicks open new tabs, which lose nothing here.
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const anchor = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (!(anchor instanceof HTMLAnchorElement) || anchor.hasAttribute("download")) return;
      if (anchor.target && anchor.target !== "_self") return;
      const url = new URL(anchor.href, window.location.href);
      // Other origins unload the page, which beforeunload covers; same-page links keep the form.
      if (url.origin !== window.location.origin) return;
      if (url.pathname === window.location.pathname && url.search === window.location.search) return;
      event.preventDefault();
      event.stopPropagation();
      setPendingHref(`${url.pathname}${url.search}${url.hash}`);
    };

    window.addEventListener("beforeunload", onBeforeUnload);
    document.addEventListener("click", onClick, true);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      document.removeEventListener("click", onClick, true);
    };
  }, [when]);

  return (
    <ConfirmDialog
      open={pendingHref !== null}
      onClose={() => setPendingHref(null)}
      title="Discard unsaved changes?"
      message="You have changes on this page that are not saved. Leaving discards them."
      confirmLabel="Leave page"
      cancelLabel="Stay"
      danger
      onConfirm={() => {
        if (pendingHref) router.push(pendingHref);
      }}
    />
  );
}
