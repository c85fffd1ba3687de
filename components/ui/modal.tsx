"use client";

import {
  useEffect,
  useEffectEvent,
  useId,
  useRef,
  useSyncExternalStore,
  type ReactNode,
  type RefObject,
} from "react";
import { createPortal } from "react-dom";
import { IconButton } from "./button";
import { cn } from "./cn";
import { XIcon } from "./icons";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), ' +
  'textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusableIn(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.getClientRects().length > 0);
}

// Open panels, innermost last: only the topmost modal reacts to Esc and Tab.
const openPanels: HTMLElement[] = [];

const noopSubscribe = () => () => {};
/** False during SSR and hydration, true afterwards; portals need `document`. */
function useIsClient() {
  return useSyncExternalStore(
    noopSubscribe,
    () => true,
    () => false,
  );
}

const widths = { sm: "max-w-md", md: "max-w-lg", lg: "max-w-2xl" } as const;

export type ModalProps = {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  /** Action buttons, right-aligned. */
  footer?: ReactNode;
  size?: keyof typeof widths;
  /** Element focused on open; defaults to the first focusable element after the close button. */
  initialFocusRef?: RefObject<HTMLElement | null>;
  /** When false, Esc, the backdrop and the close button do nothing (e.g. while saving). */
  dismissible?: boolean;
};

export function Modal({ open, ...props }: ModalProps) {
  const isClient = useIsClient();
  if (!open || !isClient) return null;
  return createPortal(<ModalPanel {...props} />, document.body);
}

function ModalPanel({
  onClose,
  title,
  description,
  children,
  footer,
  size = "md",
  initialFocusRef,
  dismissible = true,
}: Omit<ModalProps, "open">) {
  const titleId = useId();
  const descriptionId = useId();
  const panelRef = useRef<HTMLDivElement>(null);
  const pressStartedOnBackdrop = useRef(false);

  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    const panel = panelRef.current;
    // A nested menu or modal that handled the key calls preventDefault.
    if (!panel || event.defaultPrevented || openPanels.at(-1) !== panel) return;
    if (event.key === "Escape") {
      event.preventDefault();
      if (dismissible) onClose();
    } else if (event.key === "Tab") {
      const items = focusableIn(panel);
      const first = items[0];
      const last = items.at(-1);
      const active = document.activeElement;
      if (!first || !last) {
        event.preventDefault();
        panel.focus();
      } else if (!panel.contains(active)) {
        event.preventDefault();
        first.focus();
      } else if (event.shiftKey && (active === first || active === panel)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && active === last) {
        event.preventDefault();
        first.focus();
      }
    }
  });

  useEffect(() => {
    const panel = panelRef.current;
    if (!panel) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    openPanels.push(panel);

    const initial =
      initialFocusRef?.current ?? focusableIn(panel).find((el) => !el.hasAttribute("data-modal-close")) ?? panel;
    initial.focus();

    const { overflow } = document.body.style;
    document.body.style.overflow = "hidden";
    const listener = (event: KeyboardEvent) => onKeyDown(event);
    window.addEventListener("keydown", listener);

    return () => {
      window.removeEventListener("keydown", listener);
      document.body.style.overflow = overflow;
      openPanels.splice(openPanels.indexOf(panel), 1);
      if (previous?.isConnected) previous.focus();
    };
  }, [initialFocusRef]);

  return (
    // Closing on backdrop requires press and release on it, so a text selection dragged out of
    // the panel does not close it.
    <div
      className="fixed inset-0 z-50 flex items-start justify-center overflow-y-auto bg-neutral-900/40 p-4 sm:pt-[12vh]"
      onMouseDown={(event) => {
        pressStartedOnBackdrop.current = event.target === event.currentTarget;
      }}
      onClick={(event) => {
        if (dismissible && pressStartedOnBackdrop.current && event.target === event.currentTarget) onClose();
      }}
    >
      <div
        ref={panelRef}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={description ? descriptionId : undefined}
        tabIndex={-1}
        className={cn("w-full rounded-xl bg-surface shadow-xl focus-visible:outline-none", widths[size])}
      >
        <div className="flex items-start justify-between gap-4 px-6 pt-5">
          <div className="min-w-0">
            <h2 id={titleId} className="text-lg font-semibold text-ink">
              {title}
            </h2>
            {description && (
              <p id={descriptionId} className="mt-1 text-sm text-ink-muted">
                {description}
              </p>
            )}
          </div>
          <IconButton
            label="Close"
            icon={<XIcon />}
            size="sm"
            data-modal-close=""
            disabled={!dismissible}
            onClick={onClose}
            className="-mr-2"
          />
        </div>
        {children && <div className="px-6 py-4 text-sm text-ink">{children}</div>}
        {footer && <div className="flex justify-end gap-2 px-6 pb-5 pt-2">{footer}</div>}
      </div>
    </div>
  );
}
