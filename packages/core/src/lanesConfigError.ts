/**
 * Raised for every invalid loglanes option, before any file is touched.
 *
 * The message names the option, what it accepts and the value received, e.g.
 * `loglanes: option "interval" must divide a day evenly (1m…24h) or be 'none'; got '7m'`.
 *
 * @example
 * ```ts
 * import { LanesConfigError, resolveOptions } from '@loglanes/core'
 * try {
 *   resolveOptions({ interval: '7m' })
 * } catch (err) {
 *   if (err instanceof LanesConfigError) console.error(err.option, err.message)
 * }
 * ```
 */
export class LanesConfigError extends Error {
  /** The option path that was wrong, e.g. `interval` or `mirrors.errors`. */
  readonly option: string
  /** The value that was received for that option. */
  readonly received: unknown

  constructor(option: string, requirement: string, received: unknown, hint?: string) {
    super(
      `loglanes: option "${option}" ${requirement}; got ${describeValue(received)}${hint ? ` (${hint})` : ''}`,
    )
    this.name = 'LanesConfigError'
    this.option = option
    this.received = received
  }
}

/** Renders a received value for an error message: strings quoted, long values shortened. */
export function describeValue(value: unknown): string {
  let text: string
  if (typeof value === 'string') text = `'${value}'`
  else if (typeof value === 'bigint') text = `${value}n`
  else if (typeof value === 'function') text = 'a function'
  else if (typeof value === 'symbol') text = value.toString()
  else if (value === undefined) text = 'undefined'
  else {
    try {
      text = JSON.stringify(value) ?? String(value)
    } catch {
      text = Object.prototype.toString.call(value)
    }
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}
