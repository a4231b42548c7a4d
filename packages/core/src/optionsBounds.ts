import { LanesConfigError } from './lanesConfigError.js'
import { parseSize } from './sizes.js'

/** Bytes held for lanes that cannot write, across every lane of a process, unless `maxHeldSize` says otherwise. */
export const DEFAULT_MAX_HELD_SIZE = 64 * 1024 * 1024
/** Lane files open at once per process, unless `maxOpenFiles` says otherwise. */
export const DEFAULT_MAX_OPEN_FILES = 256

/** The bounds of a process's lanes, resolved: sizes in bytes. */
export interface ResolvedBounds {
  /** Bytes a lane file may reach before the lane goes on in its next part; undefined: no cap. */
  readonly maxFileSize: number | undefined
  /** Bytes held for every lane that cannot write before their new records are refused (and counted). */
  readonly maxHeldSize: number
  /** Lane files open at once; the least recently written is closed first. */
  readonly maxOpenFiles: number
}

/**
 * Reads `maxFileSize`, `maxHeldSize` (the size syntax of {@link parseSize}) and `maxOpenFiles` (a positive integer),
 * applying their defaults.
 *
 * @throws {LanesConfigError} naming the option: `maxFileSize: '10XB'`, `maxHeldSize: -1`, `maxOpenFiles: 0`.
 * @example
 * ```ts
 * resolveBounds({ maxFileSize: '100MB' }) // { maxFileSize: 104857600, maxHeldSize: 67108864, maxOpenFiles: 256 }
 * ```
 */
export function resolveBounds(input: Readonly<Record<string, unknown>>): ResolvedBounds {
  const maxFileSize =
    input.maxFileSize === undefined ? undefined : parseSize('maxFileSize', input.maxFileSize)
  const maxHeldSize =
    input.maxHeldSize === undefined ? DEFAULT_MAX_HELD_SIZE : parseSize('maxHeldSize', input.maxHeldSize)
  const open = input.maxOpenFiles
  if (open !== undefined && (typeof open !== 'number' || !Number.isSafeInteger(open) || open < 1)) {
    throw new LanesConfigError('maxOpenFiles', 'must be a positive integer (lane files open at once)', open)
  }
  return { maxFileSize, maxHeldSize, maxOpenFiles: (open as number | undefined) ?? DEFAULT_MAX_OPEN_FILES }
}
