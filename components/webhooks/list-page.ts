// The webhooks list's paging, shared by the page (which prefetches on the server) and the list.
export const HOOKS_PAGE_SIZE = 20;

/** `?page=` as a 1-based page number; anything else is page 1. */
export function pageFromParam(value: string | null | undefined) {
  const page = Number(value);
  return Number.isInteger(page) && page >= 1 ? page : 1;
}

export const LIST_PATH = "/webhooks";

/** The list's address for a page (page 1 is the bare path). */
export const listPath = (page: number) => (page === 1 ? LIST_PATH : `${LIST_PATH}?page=${page}`);
