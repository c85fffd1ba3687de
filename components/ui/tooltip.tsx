"use client";

import * as RadixTooltip from "@radix-ui/react-tooltip";
import type { ReactNode } from "react";
import { cn } from "./cn";

export type TooltipProps = {
  content: ReactNode;
  /** The element the tooltip describes and sits against (Radix Trigger, as child). */
  children: ReactNode;
  /** Controlled visibility; left out, Radix opens it on hover and focus of the child. */
  open?: boolean;
  side?: "top" | "bottom" | "left" | "right";
  className?: string;
};

/** A tooltip on Radix Tooltip: positioned with collision handling, in a portal, announced as role="tooltip". */
export function Tooltip({ content, children, open, side = "top", className }: TooltipProps) {
  return (
    <RadixTooltip.Provider delayDuration={150} skipDelayDuration={100}>
      <RadixTooltip.Root open={open}>
        <RadixTooltip.Trigger asChild>{children}</RadixTooltip.Trigger>
        <RadixTooltip.Portal>
          <RadixTooltip.Content
            side={side}
            sideOffset={6}
            collisionPadding={8}
            className={cn(
              "pointer-events-none z-50 max-w-64 rounded-md border border-line bg-surface px-2.5 py-1.5 text-xs text-ink shadow-lg",
              className,
            )}
          >
            {content}
          </RadixTooltip.Content>
        </RadixTooltip.Portal>
      </RadixTooltip.Root>
    </RadixTooltip.Provider>
  );
}
