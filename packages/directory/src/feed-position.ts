import type { FeedPosition } from './feed-head.js';

/**
 * Whether a feed cursor can no longer be served: its position is older than the purge watermark
 * (the events after it were purged, the client must resynchronise) or beyond the head (a position
 * this feed never gave).
 */
export function feedCursorExpired(after: number, position: FeedPosition): boolean {
  return after < position.watermark || after > position.head;
}

/**
 * Where the next page of the feed starts. A page read with `limit + 1` rows moves past every row
 * kept, also those the projection then removes (so a filtered page still advances); the last page
 * moves to the head.
 */
export function nextFeedSeq(
  page: readonly { readonly seq: number | string }[],
  more: boolean,
  position: FeedPosition,
): number {
  const last = page[page.length - 1];
  return more && last !== undefined ? Number(last.seq) : position.head;
}
