import { LanesConfigError } from './lanesConfigError.js'
import { LANE_NAME_PATTERN } from './optionsNames.js'

// Maintenance: compression and the link to the active folder, which need interval folders (retention, which
// needs them too, is in optionsRetention).

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
