import { LanesConfigError } from './lanesConfigError.js'

/** Bytes per unit of the size syntax: 1024-based, as `ls -h` and `du -h` count. */
const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1024,
  mb: 1024 ** 2,
  gb: 1024 ** 3,
  tb: 1024 ** 4,
}
const SIZE_PATTERN = /^([0-9]{1,16})(b|kb|mb|gb|tb)?$/i
const ACCEPTED =
  "must be a size: a whole number of bytes of at least 1, or a string like '512KB', '100MB' or '1GB' (1024-based)"

/**
 * Reads a size option (`maxFileSize`, `maxHeldSize`, `retention.maxTotalSize`): bytes as a positive integer, or a
 * string of a whole number and a unit `B`, `KB`, `MB`, `GB` or `TB` (1024-based, any letter case, no spaces).
 *
 * @throws {LanesConfigError} naming `option` for anything else: `'10XB'`, `'1.5GB'`, `-1`, `0`, `2.5`.
 * @example
 * ```ts
 * parseSize('maxFileSize', '100MB') // 104857600
 * parseSize('maxFileSize', 4096) // 4096
 * ```
 */
export function parseSize(option: string, value: unknown): number {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 1) return value
    throw new LanesConfigError(option, ACCEPTED, value)
  }
  const match = typeof value === 'string' ? SIZE_PATTERN.exec(value) : null
  if (match === null) throw new LanesConfigError(option, ACCEPTED, value)
  const bytes = Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()]!
  if (!Number.isSafeInteger(bytes) || bytes < 1) throw new LanesConfigError(option, ACCEPTED, value)
  return bytes
}

/**
 * A size as people read it in a diagnostic: the largest 1024-based unit that divides it, else bytes.
 *
 * @example
 * ```ts
 * formatSize(64 * 1024 * 1024) // '64 MiB'
 * formatSize(1500) // '1500 bytes'
 * ```
 */
export function formatSize(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && value % 1024 === 0 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return value === 1 && unit === 0 ? '1 byte' : `${value} ${units[unit]}`
}
