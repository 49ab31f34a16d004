/** Strong ETag of a task version: `"7"`. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * The versions an `If-Match` header accepts: undefined without the header or for `*` (the task
 * exists anyway), else every `"n"` / `W/"n"` in the list. Tags that name no version match nothing,
 * so a garbled header fails the precondition rather than being ignored.
 */
export function parseIfMatch(header: string | undefined): number[] | undefined {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (trimmed === '' || trimmed === '*') return undefined;
  const versions: number[] = [];
  for (const tag of trimmed.split(',')) {
    const m = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(tag);
    if (m) versions.push(Number(m[1]));
  }
  return versions;
}
