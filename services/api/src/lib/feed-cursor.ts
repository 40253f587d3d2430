import { cursorInt, decodeCursor, encodeCursor } from './cursor.js';

const LIST = 'feed';

/** The cursor of feed position `seq` (events with a greater seq come next). */
export function encodeFeedCursor(seq: number): string {
  return encodeCursor(LIST, { s: seq });
}

/** The position of a feed cursor, or API_ERR_INVALID_CURSOR. */
export function decodeFeedCursor(cursor: string): number {
  return cursorInt(decodeCursor(LIST, cursor), 's', LIST);
}
