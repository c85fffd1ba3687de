"use client";

// The sparkline's hover readout, loaded on the first hover (the list's first paint ships no
// Radix popper). An invisible, unfocusable anchor over the hovered bar carries the tooltip.
import { Tooltip } from "@/components/ui/tooltip";

export function SparklineTooltip({ left, width, text }: { left: string; width: string; text: string | null }) {
  return (
    <Tooltip open={text !== null} content={text}>
      <span aria-hidden="true" className="pointer-events-none absolute inset-y-0" style={{ left, width }} />
    </Tooltip>
  );
}
