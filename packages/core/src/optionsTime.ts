import { parseInterval } from './intervalClock.js'
import { LanesConfigError } from './lanesConfigError.js'
import { optionalString } from './optionsRead.js'
import { compileStrftime, DEFAULT_TIMESTAMP_FORMAT } from './strftime.js'
import { createZone, type Zone } from './zone.js'

// Time: the interval, the zone folders align to, the text format's timestamps and retention's durations.

const DURATION_UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/** `interval` and `timezone`, resolved. */
export interface ResolvedClock {
  /** `'none'`, or the interval as given (`'1h'`). */
  readonly interval: string
  /** Interval length in minutes; `null` for `'none'`. */
  readonly intervalMinutes: number | null
  readonly timezone: string
  readonly zone: Zone
}

/** Reads `interval` (default `'24h'`) and `timezone` (default `'local'`). */
export function resolveClock(input: Record<string, unknown>): ResolvedClock {
  const intervalMinutes = parseInterval(input.interval ?? '24h')
  const timezone = optionalString(input, 'timezone', 'local')
  const zone = createZone(timezone)
  const interval = intervalMinutes === null ? 'none' : String(input.interval ?? '24h')
  return { interval, intervalMinutes, timezone, zone }
}

/** Reads `timestampFormat` (strftime, default ISO 8601 with ms and offset), compiled once to check it. */
export function resolveTimestampFormat(input: Record<string, unknown>, zone: Zone): string {
  const timestampFormat = optionalString(input, 'timestampFormat', DEFAULT_TIMESTAMP_FORMAT)
  compileStrftime(timestampFormat, zone)
  return timestampFormat
}

/** A duration option (`retention.maxAge`): `'30m'`, `'12h'`, `'7d'`, `'4w'`, in ms. */
export function parseDuration(option: string, value: unknown): number {
  const match = typeof value === 'string' ? /^([1-9][0-9]{0,6})([mhdw])$/.exec(value) : null
  if (!match) {
    throw new LanesConfigError(option, "must be a duration like '30m', '12h', '7d' or '4w'", value)
  }
  return Number(match[1]) * DURATION_UNITS[match[2]!]!
}
