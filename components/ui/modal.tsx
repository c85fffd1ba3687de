"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { useRef, type ReactNode, type RefObject } from "react";
import { IconButton } from "./button";
import { cn } from "./cn";
import { XIcon } from "./icons";

const widths = { sm: "max-w-md", md: "max-w-lg", lg: "max-w-2xl", xl: "max-w-3xl" } as const;
export type ModalSize = keyof typeof widths;

// Shared by Modal and ConfirmDialog: the overlay is the scroll container, so a tall dialog scrolls
// as a whole on a short screen instead of being cut off.
export const overlayClassName = "fixed inset-0 z-50 flex items-start justify-center overflow-y-auto bg-neutral-900/40 p-4 sm:pt-[8vh]";
export function panelClassName(size: ModalSize) {
  return cn("relative w-full rounded-xl bg-surface shadow-xl focus-visible:outline-none", widths[size]);
}
export const titleClassName = "text-lg font-semibold text-ink";
export const descriptionClassName = "mt-1 text-sm text-ink-muted";
export const footerClassName = "flex flex-wrap justify-end gap-2 px-6 pb-5 pt-2";

/** In onOpenAutoFocus: focuses `ref` instead of the primitive's default (the first focusable element). */
export function focusInstead(event: Event, ref: RefObject<HTMLElement | null> | undefined) {
  if (!ref?.current) return;
  event.preventDefault();
  ref.current.focus();
}

/**
 * Focus back to the control that opened a dialog. Radix returns focus to a Dialog.Trigger; these
 * dialogs open from state, so without this focus drops to <body>. The opener is the element
 * focused when the dialog opened, or `returnFocusRef` when that one is gone by then (a menu item:
 * give the menu's button instead).
 */
export function useReturnFocus(returnFocusRef: RefObject<HTMLElement | null> | undefined) {
  const opener = useRef<HTMLElement | null>(null);
  return {
    onOpen() {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    },
    onClose(event: Event) {
      const target = [returnFocusRef?.current, opener.current].find((element) => element?.isConnected && element !== document.body);
      opener.current = null;
      if (!target) return;
      event.preventDefault();
      target.focus();
    },
  };
}

export type ModalProps = {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  /** Action buttons, right-aligned. */
  footer?: ReactNode;
  size?: ModalSize;
  /** Element focused on open; defaults to the first focusable element of the body. */
  initialFocusRef?: RefObject<HTMLElement | null>;
  /** When false, Esc, the backdrop and the close button do nothing (e.g. while saving). */
  dismissible?: boolean;
  /** Element focused when the dialog closes (the control that opened it). */
  returnFocusRef?: RefObject<HTMLElement | null>;
};

/**
 * A dialog on Radix Dialog: focus trap, scroll lock, Esc and outside-press, focus return and
 * nesting come from the primitive; this adds the console's layout and the `dismissible` switch.
 */
export function Modal({
  open,
  onClose,
  title,
  description,
  children,
  footer,
  size = "md",
  initialFocusRef,
  dismissible = true,
  returnFocusRef,
}: ModalProps) {
  const focusReturn = useReturnFocus(returnFocusRef);
  const guard = (event: Event) => {
    if (!dismissible) event.preventDefault();
  };
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        if (!next && dismissible) onClose();
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay className={overlayClassName}>
          <Dialog.Content
            className={panelClassName(size)}
            // Without a description, an explicit undefined tells Radix there is none on purpose.
            {...(description ? {} : { "aria-describedby": undefined })}
            onOpenAutoFocus={(event) => {
              focusReturn.onOpen();
              focusInstead(event, initialFocusRef);
            }}
            onCloseAutoFocus={focusReturn.onClose}
            onEscapeKeyDown={guard}
            onPointerDownOutside={guard}
            onInteractOutside={guard}
          >
            <div className="px-6 pr-14 pt-5">
              <Dialog.Title className={titleClassName}>{title}</Dialog.Title>
              {description && <Dialog.Description className={descriptionClassName}>{description}</Dialog.Description>}
            </div>
            {children && <div className="px-6 py-4 text-sm text-ink">{children}</div>}
            {footer && <div className={footerClassName}>{footer}</div>}
            {/* Last in the DOM so the first field, not the close button, takes the initial focus. */}
            <Dialog.Close asChild>
              <IconButton label="Close" icon={<XIcon />} size="sm" disabled={!dismissible} className="absolute right-4 top-4" />
            </Dialog.Close>
          </Dialog.Content>
        </Dialog.Overlay>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
