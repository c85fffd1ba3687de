// Logto's pagination headers for paged lists: `Total-Number` and one `Link` value per relation
// (first, prev, next, last), each the request URL with only `page` changed.

export function paginationHeaders(url: URL, { page, pageSize, total }: { page: number; pageSize: number; total: number }) {
  const lastPage = Math.max(Math.ceil(total / pageSize), 1);
  const link = (target: number, rel: string) => {
    const href = new URL(url);
    href.searchParams.set("page", String(target));
    return `<${href.toString()}>; rel="${rel}"`;
  };
  const headers = new Headers({ "Total-Number": String(total) });
  headers.append("Link", link(1, "first"));
  if (page > 1) headers.append("Link", link(Math.min(page - 1, lastPage), "prev"));
  if (page < lastPage) headers.append("Link", link(page + 1, "next"));
  headers.append("Link", link(lastPage, "last"));
  return headers;
}
