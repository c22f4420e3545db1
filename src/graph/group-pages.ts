/**
 * Paging of the groups page: `?page=N`, GROUPS_PER_PAGE groups a page. Names are resolved for the
 * shown page only, so a user in hundreds of groups costs at most GROUPS_PER_PAGE name look-ups.
 */

/** Groups shown per page (also the most name look-ups one page view makes). */
export const GROUPS_PER_PAGE = 20;

/** A group as shown: its object id, and its name when the app could read it. */
export interface ShownGroup {
  readonly id: string;
  readonly displayName: string | null;
}

/** One page of a list of group ids, with what the Previous/Next links need. */
export interface GroupPage {
  readonly ids: readonly string[];
  readonly page: number;
  readonly pages: number;
  readonly total: number;
  readonly first: number;
}

/**
 * The page number of `?page=`: a positive decimal integer without sign or leading zero; anything
 * else (absent, repeated, "abc", "0", "-1", "1e3", "2.5") is page 1, so a bad link still shows the
 * groups instead of an error page.
 */
export function pageNumber(raw: unknown): number {
  if (typeof raw !== 'string' || !/^[1-9][0-9]{0,5}$/.test(raw)) return 1;
  return Number(raw);
}

/** The requested page of `ids`; a page past the end shows the last page. */
export function pageOf(ids: readonly string[], requested: number): GroupPage {
  const pages = Math.max(1, Math.ceil(ids.length / GROUPS_PER_PAGE));
  const page = Math.min(Math.max(1, requested), pages);
  const first = (page - 1) * GROUPS_PER_PAGE;
  return { ids: ids.slice(first, first + GROUPS_PER_PAGE), page, pages, total: ids.length, first };
}
