// Resolved when the lazily loaded toaster has mounted (toast.tsx waits for it before each toast).
let markMounted: () => void = () => {};
export const toasterMounted = new Promise<void>((resolve) => {
  markMounted = resolve;
});
export const toasterDidMount = () => markMounted();
