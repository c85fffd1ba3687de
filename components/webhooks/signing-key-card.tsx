"use client";

import { useId, useState } from "react";
import {
  Button,
  Card,
  cn,
  ConfirmDialog,
  CopyButton,
  DOCS,
  EyeIcon,
  EyeOffIcon,
  IconButton,
  LearnMore,
  RefreshIcon,
  useToast,
} from "@/components/ui";
import type { HookOutput } from "@/lib/hooks/schemas";
import { formatTime } from "@/components/deliveries/format";
import { useRegenerateSigningKey } from "./queries";

const GRACE_PERIODS = [
  { hours: 0, label: "0 h — the old key stops working at once" },
  { hours: 1, label: "1 h" },
  { hours: 24, label: "24 h" },
  { hours: 72, label: "72 h" },
] as const;

/** The hook's signing key: masked by default, revealable, copyable, and rotated on confirmation. */
export function SigningKeyCard({ hook }: { hook: HookOutput }) {
  const toast = useToast();
  const regenerate = useRegenerateSigningKey(hook.id);
  const [revealed, setRevealed] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [graceHours, setGraceHours] = useState(0);
  const graceId = useId();

  return (
    <Card
      title="Signing key"
      description={
        <>
          Every request carries <code className="text-xs">logto-signature-sha-256</code>, an HMAC-SHA256 of the raw body with this key, so
          your endpoint can check that the request came from this service unchanged.
          <LearnMore href={DOCS.secure} topic="securing webhooks" />
        </>
      }
    >
      <div className="flex flex-wrap items-center gap-2">
        {/* At least 18rem wide: on a phone Regenerate wraps under the key instead of squeezing it to "••…". */}
        <div className="flex min-w-0 flex-1 basis-72 items-center gap-1 rounded-md border border-line-strong bg-canvas py-1 pl-3 pr-1">
          <code
            data-testid="signing-key"
            className={cn("min-w-0 flex-1 truncate text-ink", revealed ? "text-sm" : "text-xs tracking-tighter")}
          >
            {revealed ? hook.signingKey : "•".repeat(hook.signingKey.length)}
          </code>
          <IconButton
            label={revealed ? "Hide signing key" : "Reveal signing key"}
            icon={revealed ? <EyeOffIcon /> : <EyeIcon />}
            size="sm"
            onClick={() => setRevealed((value) => !value)}
          />
          <CopyButton value={hook.signingKey} label="Copy signing key" />
        </div>
        <Button variant="secondary" icon={<RefreshIcon />} onClick={() => setConfirming(true)}>
          Regenerate
        </Button>
      </div>
      {hook.previousKeyExpiresAt !== null && (
        <p className="mt-2 text-xs text-ink-muted">The previous key is also accepted until {formatTime(hook.previousKeyExpiresAt)}.</p>
      )}

      <ConfirmDialog
        open={confirming}
        onClose={() => {
          setConfirming(false);
          setGraceHours(0);
        }}
        title="Regenerate signing key"
        confirmLabel="Regenerate key"
        message={
          <div className="flex flex-col gap-3">
            <p>Requests will be signed with a new key. Every receiver of this webhook must update its key to keep verifying signatures.</p>
            <div className="flex flex-col gap-1.5">
              <label htmlFor={graceId} className="font-medium text-ink">
                Keep the old key valid for
              </label>
              <select
                id={graceId}
                value={graceHours}
                onChange={(event) => setGraceHours(Number(event.currentTarget.value))}
                className="h-9 rounded-md border border-line-strong bg-surface px-2 text-sm text-ink"
              >
                {GRACE_PERIODS.map((period) => (
                  <option key={period.hours} value={period.hours}>
                    {period.label}
                  </option>
                ))}
              </select>
              <p className="text-xs">
                During a grace period the old key stays valid too, so receivers can switch over without rejecting requests.
              </p>
            </div>
          </div>
        }
        onConfirm={async () => {
          await regenerate.mutateAsync(graceHours);
          toast.success(
            graceHours > 0 ? `Signing key regenerated. The old key stays valid for ${graceHours} h.` : "Signing key regenerated.",
          );
          setGraceHours(0);
        }}
      />
    </Card>
  );
}
