import { LanesConfigError } from './lanesConfigError.js'
import type { ResolvedRetention } from './options.js'
import { isPlainObject } from './optionsRead.js'
import { parseDuration } from './optionsTime.js'
import { parseSize } from './sizes.js'

// Retention: which interval folders (and lanes' files in them) are kept, by count, age and total size.

const RETENTION_KEYS = ['keep', 'maxAge', 'maxTotalSize']

/**
 * Reads `retention`: `keep` (an integer ≥ 1), `maxAge` (a duration), `maxTotalSize` (the size syntax of
 * {@link parseSize}); at least one of them. Needs interval folders.
 *
 * @throws {LanesConfigError} naming the option (`retention.keep`, `retention.maxTotalSize`, ...).
 */
export function resolveRetention(
  value: unknown,
  intervalMinutes: number | null,
): ResolvedRetention | undefined {
  if (value === undefined || value === false) return undefined
  if (!isPlainObject(value))
    throw new LanesConfigError('retention', 'must be an object { keep?, maxAge?, maxTotalSize? }', value)
  for (const key of Object.keys(value)) {
    if (!RETENTION_KEYS.includes(key)) {
      throw new LanesConfigError(
        `retention.${key}`,
        'is not a retention option (use keep, maxAge or maxTotalSize)',
        value[key],
      )
    }
  }
  if (RETENTION_KEYS.every((key) => value[key] === undefined)) {
    throw new LanesConfigError('retention', 'must set keep, maxAge or maxTotalSize (or several)', value)
  }
  if (intervalMinutes === null) {
    throw new LanesConfigError(
      'retention',
      "needs interval folders; it cannot be used with interval 'none'",
      value,
    )
  }
  const keep = value.keep
  if (keep !== undefined && (typeof keep !== 'number' || !Number.isInteger(keep) || keep < 1)) {
    throw new LanesConfigError('retention.keep', 'must be an integer of at least 1', keep)
  }
  const maxAgeMs = value.maxAge === undefined ? undefined : parseDuration('retention.maxAge', value.maxAge)
  const maxTotalSize =
    value.maxTotalSize === undefined ? undefined : parseSize('retention.maxTotalSize', value.maxTotalSize)
  return { keep: keep as number | undefined, maxAgeMs, maxTotalSize }
}
