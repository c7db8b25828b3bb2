/**
 * A failure as words to put in a message: what was thrown, from a port (storage full, a notification
 * refused, a fetch gone), the browser (a message with no receiver) or a parser. An `Error` gives its
 * message; anything else (a string, a DOMException-like object) is turned into text.
 */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
