// The theme's chart tokens (app/globals.css), so the charts follow light and dark mode. Apart
// from the charts' module, so the list's sparkline can colour its bars without loading recharts.
export const OUTCOME_COLORS = {
  succeeded: "var(--color-chart-succeeded)",
  failed: "var(--color-chart-failed)",
  retrying: "var(--color-chart-retrying)",
} as const;
