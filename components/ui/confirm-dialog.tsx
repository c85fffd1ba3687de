"use client";

import * as AlertDialog from "@radix-ui/react-alert-dialog";
import { useRef, useState, type ReactNode, type RefObject } from "react";
import { Button } from "./button";
import {
  descriptionClassName,
  focusInstead,
  footerClassName,
  overlayClassName,
  panelClassName,
  titleClassName,
  useReturnFocus,
} from "./modal";

export type ConfirmDialogProps = {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  message: ReactNode;
  confirmLabel?: string;
  cancelLabel?: string;
  /** Red confirm button, and the initial focus goes to Cancel. */
  danger?: boolean;
  /** Awaited with the confirm button loading; the dialog closes when it resolves and shows the
   * error inline when it throws. */
  onConfirm: () => void | Promise<void>;
  /** Element focused when the dialog closes (the control that opened it). */
  returnFocusRef?: RefObject<HTMLElement | null>;
};

/** A confirmation on Radix AlertDialog (role="alertdialog"; an outside press never dismisses it). */
export function ConfirmDialog({
  open,
  onClose,
  title,
  message,
  confirmLabel = "Confirm",
  cancelLabel = "Cancel",
  danger = false,
  onConfirm,
  returnFocusRef,
}: ConfirmDialogProps) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const focusReturn = useReturnFocus(returnFocusRef);

  function close() {
    if (pending) return;
    setError(null);
    onClose();
  }

  async function confirm() {
    setPending(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (err) {
      setError(err instanceof Error && err.message ? err.message : "Something went wrong. Try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <AlertDialog.Root open={open} onOpenChange={(next) => !next && close()}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className={overlayClassName}>
          {/* AlertDialog focuses Cancel by default, which is what a dangerous action wants. */}
          <AlertDialog.Content
            className={panelClassName("sm")}
            onOpenAutoFocus={(event) => {
              focusReturn.onOpen();
              if (!danger) focusInstead(event, confirmRef);
            }}
            onCloseAutoFocus={focusReturn.onClose}
          >
            <div className="px-6 pt-5">
              <AlertDialog.Title className={titleClassName}>{title}</AlertDialog.Title>
            </div>
            <div className="px-6 py-4 text-sm text-ink">
              <AlertDialog.Description asChild>
                <div className={descriptionClassName}>{message}</div>
              </AlertDialog.Description>
              {error && (
                <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-red-700">
                  {error}
                </p>
              )}
            </div>
            <div className={footerClassName}>
              <AlertDialog.Cancel asChild>
                <Button variant="secondary" disabled={pending}>
                  {cancelLabel}
                </Button>
              </AlertDialog.Cancel>
              {/* Not AlertDialog.Action: that closes at once, and this waits for onConfirm. */}
              <Button ref={confirmRef} variant={danger ? "danger" : "primary"} loading={pending} onClick={confirm}>
                {confirmLabel}
              </Button>
            </div>
          </AlertDialog.Content>
        </AlertDialog.Overlay>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
