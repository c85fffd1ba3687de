// The console's shared time and duration formats, apart from any component (the list's
// sparkline hover imports them without the request-status tags).
// Built on first use: constructing an Intl formatter loads locale data, which cost the webhooks
// list (which imports this module but formats no time on its first paint) ~30 ms at start-up.
function lazyFormat(options: Intl.DateTimeFormatOptions) {
  let format: Intl.DateTimeFormat | undefined;
  return (ms: number) => (format ??= new Intl.DateTimeFormat(undefined, options)).format(ms);
}

export const formatTime = lazyFormat({ month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });
export const formatHour = lazyFormat({ hour: "2-digit", minute: "2-digit" });

export function formatDuration(ms: number | null) {
  if (ms === null) return "-";
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
