/** A bot command as typed in a room: `!name arg1 arg2`. */
export interface ParsedCommand {
  /** Lower-case command word without the prefix. */
  name: string;
  /** Whitespace-separated words after the command word. */
  args: string[];
}

export const COMMAND_PREFIX = "!";

/** Letters, digits and dashes; anything else ("!!", "! ping", "!?") is ordinary chat. */
const COMMAND_WORD = /^[a-z][a-z0-9-]*$/i;

/**
 * Parses a message body into a command, or undefined when the body is not one.
 * Only the body's start counts, so quoting or mentioning "!ping" mid-sentence
 * does not trigger anything.
 */
export function parseCommand(body: string, prefix: string = COMMAND_PREFIX): ParsedCommand | undefined {
  const text = body.trim();
  if (!text.startsWith(prefix)) return undefined;
  const [word, ...args] = text.slice(prefix.length).split(/\s+/);
  if (word === undefined || !COMMAND_WORD.test(word)) return undefined;
  return { name: word.toLowerCase(), args };
}
