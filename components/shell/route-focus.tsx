"use client";

// After a client-side navigation that lost focus (the row, link or dialog that had it went with
// the old page), focus moves to the new page's main heading (WCAG 2.4.3): a keyboard or
// screen-reader user lands at the top of what changed instead of on <body>. Not on the first load
// (the browser starts at the top), and never away from an element that still holds focus.
import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";

const HEADING = "main h1, [data-page-heading]";

function keepsFocus(element: Element | null) {
  if (!element || element === document.body) return false;
  if (!element.isConnected) return false;
  return Boolean(element.closest('[role="dialog"], [role="alertdialog"], [role="tablist"], input, textarea, select'));
}

/**
 * The link that was just followed, still on the page: a sidebar or header link outlives the page
 * it left, so its focus was not lost, but it no longer marks where the user is (issue 13).
 */
function isFollowedLink(element: Element) {
  if (!(element instanceof HTMLAnchorElement) || !element.href) return false;
  const target = new URL(element.href, window.location.href);
  return target.origin === window.location.origin && target.pathname === window.location.pathname;
}

export function RouteFocus() {
  const pathname = usePathname();
  const first = useRef(true);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    // Pages render their heading once their data is in: wait for it, briefly, but never take
    // focus from where the user has put it meanwhile (a menu opened, a field clicked).
    let frame = 0;
    let abandoned = false;
    const abandon = () => {
      abandoned = true;
    };
    window.addEventListener("pointerdown", abandon, { capture: true, once: true });
    window.addEventListener("keydown", abandon, { capture: true, once: true });
    const until = performance.now() + 3_000;
    const tryFocus = () => {
      // Only focus that was lost (on <body>, or on the row or link that went with the old page)
      // or left on the link just followed moves; focus the user holds (a menu opened while a
      // redirect finished) stays.
      const active = document.activeElement;
      const held = active && active !== document.body && active.isConnected && !isFollowedLink(active);
      if (abandoned || keepsFocus(active) || held) return;
      const heading = document.querySelector<HTMLElement>(HEADING);
      if (heading) {
        if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
        heading.focus({ preventScroll: true });
        return;
      }
      if (performance.now() < until) frame = requestAnimationFrame(tryFocus);
    };
    frame = requestAnimationFrame(tryFocus);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener("pointerdown", abandon, { capture: true });
      window.removeEventListener("keydown", abandon, { capture: true });
    };
  }, [pathname]);

  return null;
}
