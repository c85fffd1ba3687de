"use client";

// The webhooks list's interactive parts, each a small client island inside the list the server
// renders (webhooks-list.tsx): the phone hydrates these and the links, not the rows (mobile
// Lighthouse, issue 13). Nothing here imports zod, the query cache or tailwind-merge; the create
// modal (form, schemas, event picker, dialog) loads when it is first opened.
import dynamic from "next/dynamic";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState, type MouseEvent, type ReactNode } from "react";
import { PlainButton } from "@/components/ui/button-base";
import { PlusIcon } from "@/components/ui/icons";
import { NESTED_CONTROLS } from "@/components/ui/nested-controls";
import { STATS_REFRESH_MS } from "@/components/deliveries/refresh";
import { HOOKS_PAGE_SIZE, LIST_PATH, listPath } from "./list-page";

const CREATE_PATH = "/webhooks/create";
// The pager (and the table module with it) loads only for a list longer than a page.
const Pagination = dynamic(() => import("@/components/ui/table").then((module) => module.Pagination));
const loadCreateModal = () => import("./create-webhook-modal");
const CreateWebhookModal = dynamic(() => loadCreateModal().then((module) => module.CreateWebhookModal), { ssr: false });

/**
 * As in Logto, /webhooks/create is the list with the create modal open: a link can open it, and
 * Back closes it. The URL changes without a navigation (Next follows history.pushState).
 */
function setCreating(open: boolean) {
  const query = window.location.search;
  window.history.pushState(null, "", `${open ? CREATE_PATH : LIST_PATH}${query}`);
}

export function CreateWebhookButton() {
  return (
    <PlainButton
      icon={<PlusIcon size={16} />}
      onClick={() => setCreating(true)}
      // Fetch the modal's code as soon as the button is aimed at, so it opens without a wait.
      onPointerEnter={() => void loadCreateModal()}
      onFocus={() => void loadCreateModal()}
    >
      Create webhook
    </PlainButton>
  );
}

/** The create modal, open while the address is /webhooks/create; mounted from the first opening on (so closing animates). */
export function CreateWebhookHost() {
  const creating = usePathname() === CREATE_PATH;
  const [loaded, setLoaded] = useState(creating);
  if (creating && !loaded) setLoaded(true);
  return loaded ? <CreateWebhookModal open={creating} onClose={() => setCreating(false)} /> : null;
}

/** Follows clicks on the table's `data-href` rows (the row's own links and buttons keep theirs). */
export function RowLinks({ children }: { children: ReactNode }) {
  const router = useRouter();
  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const { target, currentTarget } = event;
    if (!(target instanceof Element) || !currentTarget.contains(target)) return;
    const row = target.closest<HTMLElement>("tr[data-href]");
    const control = target.closest(NESTED_CONTROLS);
    if (!row?.dataset.href || (control && row.contains(control))) return;
    router.push(row.dataset.href);
  };
  // The rows' names are links (the keyboard's way in); this only widens the mouse target.
  return <div onClick={onClick}>{children}</div>;
}

/** The list's pages; the page lives in the URL, so Back and reload keep it. */
export function HooksPagination({ page, total }: { page: number; total: number }) {
  const router = useRouter();
  return (
    <Pagination
      page={page}
      pageSize={HOOKS_PAGE_SIZE}
      total={total}
      onChange={(next) => router.replace(listPath(next), { scroll: false })}
      className="border-t border-line px-4 py-3"
    />
  );
}

/** Reads the list again on the server (rates, counts and sparklines move): every 30 s while the tab is visible, and on return to it. */
export function RefreshList() {
  const router = useRouter();
  useEffect(() => {
    let last = Date.now();
    const refresh = () => {
      last = Date.now();
      router.refresh();
    };
    const timer = setInterval(() => document.visibilityState === "visible" && refresh(), STATS_REFRESH_MS);
    const onVisible = () => document.visibilityState === "visible" && Date.now() - last >= STATS_REFRESH_MS && refresh();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [router]);
  return null;
}

export function RetryButton() {
  const router = useRouter();
  return (
    <PlainButton variant="secondary" onClick={() => router.refresh()}>
      Try again
    </PlainButton>
  );
}
