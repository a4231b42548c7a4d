/** Level colors on the console: debug blue, info green, warn yellow, error red, fatal magenta. */
export const LEVEL_COLORS = {
  trace: 'gray',
  debug: 'blue',
  info: 'green',
  warn: 'yellow',
  error: 'red',
  fatal: 'magenta',
} as const

/**
 * Whether console output gets colors: `FORCE_COLOR` (not `0`/`false`) forces them, as in Node itself; else a
 * non-empty `NO_COLOR` turns them off; else a TTY that has colors gets them.
 */
export function colorsWanted(stream: NodeJS.WriteStream = process.stdout, env = process.env): boolean {
  const force = env.FORCE_COLOR
  if (force !== undefined) return force !== '0' && force !== 'false'
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  return stream.isTTY === true && (typeof stream.hasColors !== 'function' || stream.hasColors())
}
