import { safeJsonStringify } from '@loglanes/core'

/** triple-beam's symbols: the level before formats touch it, and the finished line of a finalizing format. */
export const LEVEL: unique symbol = Symbol.for('level') as never
export const MESSAGE: unique symbol = Symbol.for('message') as never

/** A winston info object as a transport receives it. */
export interface WinstonInfo {
  [key: string]: unknown
  [LEVEL]?: string
  [MESSAGE]?: unknown
  level: string
  message?: unknown
}

// SGR color sequences, raw (from colorize() before a text format) or as JSON escapes them (before json()).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the escape character is the point
const COLOR = /\u001b\[[0-9;]*m|\\u001b\[[0-9;]*m/g

/** The line with color codes removed: files never carry them, whatever format put them there. */
export function withoutColors(line: string): string {
  return line.indexOf('\u001b') < 0 && line.indexOf('\\u001b') < 0 ? line : line.replace(COLOR, '')
}

/**
 * The JSON line of an info object that no finalizing format has rendered: every string key, with `level` as
 * the uncolored label; circular references, BigInt, Error values and symbols handled by `safeJsonStringify`.
 */
export function jsonLine(info: WinstonInfo, level: string): string {
  const line = safeJsonStringify({ ...info, level })
  return info.level === level ? line : withoutColors(line)
}

/** Fields of the text format: everything but what the record line already shows. */
export function textFields(info: WinstonInfo, domainKey: string): Record<string, unknown> {
  const fields: Record<string, unknown> = {}
  for (const key of Object.keys(info)) {
    if (key !== 'level' && key !== 'message' && key !== 'timestamp' && key !== 'stack' && key !== domainKey) {
      fields[key] = info[key]
    }
  }
  return fields
}

/**
 * Epoch ms from `info.timestamp`, the time winston's `format.timestamp()` put on the record (a string, or a Date);
 * NaN, meaning now, when absent or unreadable. A number is never the logger's: `format.timestamp()` writes strings,
 * and logform keeps a `timestamp` the app passed in its metadata (an API's epoch seconds, read as milliseconds,
 * would file the record in 1970, where retention deletes it at once). A number is NaN too; {@link numbers} counts
 * them.
 */
export class TimestampReader {
  /** Records whose `timestamp` was a number, filed under now. */
  numbers = 0
  private lastText = ''
  private lastValue = Number.NaN

  timeOf(timestamp: unknown): number {
    if (typeof timestamp === 'string') {
      if (timestamp !== this.lastText) {
        this.lastText = timestamp
        this.lastValue = Date.parse(timestamp)
      }
      return this.lastValue
    }
    if (timestamp instanceof Date) return timestamp.getTime()
    if (typeof timestamp === 'number') this.numbers++
    return Number.NaN
  }
}
