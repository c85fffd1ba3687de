// The lazily mounted toaster's handshake with toast.tsx: a toast asks for the toaster, then waits
// until it has mounted.
let markMounted: () => void = () => {};
export const toasterMounted = new Promise<void>((resolve) => {
  markMounted = resolve;
});
export const toasterDidMount = () => markMounted();

let wanted = false;
let onWanted: (() => void) | null = null;
/** Called by a toast (or the first interaction): the provider mounts the toaster. */
export function wantToaster() {
  wanted = true;
  onWanted?.();
}
/** The provider's subscription; runs at once when a toast came first. */
export function whenToasterWanted(listener: () => void) {
  onWanted = listener;
  if (wanted) listener();
  return () => {
    onWanted = null;
  };
}
