"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { ConfirmDialog } from "@/components/ui";

// The slice of the Navigation API used here: TypeScript 5.9's DOM library does not declare it.
type NavigateEvent = Event & { navigationType: string; destination: { url: string; key: string | null } };
type Navigation = EventTarget & {
  traverseTo(key: string): { committed: Promise<unknown>; finished: Promise<unknown> };
};

/** Where leaving goes once confirmed: an in-app link's address, or a Back/Forward entry's key. */
type Pending = { kind: "link"; href: string } | { kind: "traverse"; key: string };

function navigationApi(): Navigation | undefined {
  return (window as Window & { navigation?: Navigation }).navigation;
}

/** Same-page destinations (another hash, the same address) keep the form mounted, so they lose nothing. */
function leavesPage(url: URL) {
  return url.pathname !== window.location.pathname || url.search !== window.location.search;
}

/**
 * While `when` is true: the browser asks before unloading (reload, close, external links), and
 * in-app link clicks and Back/Forward ask in our own dialog first. The App Router has no
 * cancellable navigation event, so link clicks are caught in the capture phase, before Next's
 * <Link> sees them, and Back/Forward by the Navigation API's `navigate` event, which fires before
 * the traversal and before Next's popstate listener. (A popstate listener cannot do it: popstate
 * is not cancellable and, on window, listeners run in registration order, so Next's runs first
 * whatever the capture flag.) Browsers without the Navigation API traverse unguarded, as before.
 */
export function UnsavedChangesGuard({ when }: { when: boolean }) {
  const router = useRouter();
  const [pending, setPending] = useState<Pending | null>(null);
  // The traversal "Leave page" starts, which the navigate listener must let through.
  const leavingKey = useRef<string | null>(null);

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
      // Other origins unload the page, which beforeunload covers.
      if (url.origin !== window.location.origin || !leavesPage(url)) return;
      event.preventDefault();
      event.stopPropagation();
      setPending({ kind: "link", href: `${url.pathname}${url.search}${url.hash}` });
    };

    // Only same-document traversals are cancelable (the others unload, which beforeunload
    // covers), and browsers may make the user's own Back uncancelable so that pages cannot trap
    // them (no interaction since the last cancel); such a traversal goes through as before.
    const onNavigate = (event: Event) => {
      const { navigationType, destination } = event as NavigateEvent;
      if (navigationType !== "traverse" || !event.cancelable || !destination.key) return;
      if (destination.key === leavingKey.current || !leavesPage(new URL(destination.url))) return;
      event.preventDefault();
      setPending({ kind: "traverse", key: destination.key });
    };

    const navigation = navigationApi();
    window.addEventListener("beforeunload", onBeforeUnload);
    document.addEventListener("click", onClick, true);
    navigation?.addEventListener("navigate", onNavigate);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      document.removeEventListener("click", onClick, true);
      navigation?.removeEventListener("navigate", onNavigate);
    };
  }, [when]);

  async function leave(target: Pending) {
    if (target.kind === "link") return router.push(target.href);
    const navigation = navigationApi();
    if (!navigation) return;
    leavingKey.current = target.key;
    const traversal = navigation.traverseTo(target.key);
    // `committed` carries any failure to the dialog; `finished` rejects with it too.
    traversal.finished.catch(() => undefined);
    try {
      await traversal.committed;
    } finally {
      leavingKey.current = null;
    }
  }

  return (
    <ConfirmDialog
      open={pending !== null}
      onClose={() => setPending(null)}
      title="Discard unsaved changes?"
      message="You have changes on this page that are not saved. Leaving discards them."
      confirmLabel="Leave page"
      cancelLabel="Stay"
      danger
      onConfirm={() => (pending ? leave(pending) : undefined)}
    />
  );
}
