"use client";

// "Resend failed requests": every failed request of the last 24 hours gets one new request
// (POST /api/hooks/:id/recover), after a confirmation that says how many.
import { useState } from "react";
import { Button, ConfirmDialog, useToast } from "@/components/ui";
import { useRecoverFailed, useRecoverPreview } from "@/components/webhooks/queries";

export function ResendFailedButton({ hookId, disabled }: { hookId: string; disabled?: boolean }) {
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const preview = useRecoverPreview(hookId, open);
  const recover = useRecoverFailed(hookId);
  const count = preview.data?.eligible;
  const plural = (n: number) => `${n.toLocaleString()} failed ${n === 1 ? "request" : "requests"}`;

  return (
    <>
      {/* The filters' height (h-8) and text size, so the row of controls lines up. */}
      <Button variant="secondary" size="sm" className="h-8 text-sm" disabled={disabled} onClick={() => setOpen(true)}>
        Resend failed requests
      </Button>
      <ConfirmDialog
        open={open}
        onClose={() => setOpen(false)}
        title="Resend failed requests"
        message={
          preview.isPending
            ? "Counting the failed requests of the last 24 hours…"
            : preview.isError
              ? preview.error.message
              : count === 0
                ? "No failed request of the last 24 hours is waiting to be resent (each one is resent at most once)."
                : `${plural(count ?? 0)} of the last 24 hours will be sent again, each as a new request linked to the original. Requests already resent are skipped.`
        }
        confirmLabel={count ? `Resend ${count.toLocaleString()}` : "Resend"}
        onConfirm={async () => {
          const result = await recover.mutateAsync();
          toast.success(result.queued === 0 ? "Nothing to resend." : `${plural(result.queued)} queued again.`);
        }}
      />
    </>
  );
}
