import { LanesConfigError } from './lanesConfigError.js'
import type { ResolvedRetention } from './options.js'
import { LANE_NAME_PATTERN } from './optionsNames.js'
import { isPlainObject } from './optionsRead.js'
import { parseDuration } from './optionsTime.js'

// Maintenance: retention, compression and the link to the active folder, which all need interval folders.

export function resolveRetention(
  value: unknown,
  intervalMinutes: number | null,
): ResolvedRetention | undefined {
  if (value === undefined || value === false) return undefined
  if (!isPlainObject(value))
    throw new LanesConfigError('retention', 'must be an object { keep?, maxAge? }', value)
  for (const key of Object.keys(value)) {
    if (key !== 'keep' && key !== 'maxAge') {
      throw new LanesConfigError(
        `retention.${key}`,
        'is not a retention option (use keep or maxAge)',
        value[key],
      )
    }
  }
  if (value.keep === undefined && value.maxAge === undefined) {
    throw new LanesConfigError('retention', 'must set keep, maxAge or both', value)
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
  return { keep: keep as number | undefined, maxAgeMs }
}

export function resolveCompress(value: unknown, intervalMinutes: number | null): false | 'gzip' {
  if (value === undefined || value === false) return false
  if (value !== 'gzip') throw new LanesConfigError('compress', "must be false or 'gzip'", value)
  if (intervalMinutes === null) {
    throw new LanesConfigError(
      'compress',
      "needs interval folders to close; it cannot be used with interval 'none'",
      value,
    )
  }
  return value
}

export function resolveSymlink(value: unknown, intervalMinutes: number | null): string | false {
  if (value === undefined || value === false) return false
  const name = value === true ? 'current' : value
  if (typeof name !== 'string' || !LANE_NAME_PATTERN.test(name)) {
    throw new LanesConfigError(
      'symlink',
      'must be true, false or a link name (a letter, then letters, digits, "_" or "-")',
      value,
    )
  }
  if (intervalMinutes === null) {
    throw new LanesConfigError(
      'symlink',
      "needs interval folders to point at; it cannot be used with interval 'none'",
      value,
    )
  }
  return name
}
