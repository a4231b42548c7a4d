import { LanesConfigError } from './lanesConfigError.js'

/** A time zone that answers per-instant questions cheaply (see {@link createZone}). */
export interface Zone {
  /** The zone as configured: 'local', 'UTC' or an IANA name. */
  readonly name: string
  /** Milliseconds to add to an epoch-ms instant to get its wall-clock time expressed as a UTC epoch (wall = t + offsetAt(t)). */
  offsetAt(t: number): number
  /** Short zone abbreviation at instant t as Intl gives it (e.g. 'EST', 'GMT+1', 'UTC'), for strftime %Z. */
  abbreviationAt(t: number): string
}

const TIMEZONE_REQUIREMENT = "must be 'local', 'UTC' or an IANA time zone name known to Intl"
const TIMEZONE_HINT = "e.g. 'Europe/Berlin'; Intl.supportedValuesOf('timeZone') lists them"

/** Largest |epoch ms| a Date can hold. */
const MAX_DATE_MS = 8.64e15
/** How far a cache miss looks either side of t for an offset change. */
const PROBE_MS = 12 * 60 * 60 * 1000

/**
 * Whether `timezone` is accepted by {@link createZone}: 'local' or any zone `Intl` knows
 * (IANA names in any case, 'UTC', 'Etc/UTC', ...).
 */
export function isKnownTimeZone(timezone: string): boolean {
  if (typeof timezone !== 'string') return false
  if (timezone === 'local' || knownZones.has(timezone)) return true
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone })
  } catch {
    return false
  }
  if (knownZones.size < MAX_KNOWN_ZONES) knownZones.add(timezone)
  return true
}

/** Zone names Intl accepted: asking it again costs a formatter (about a millisecond) per options resolved. */
const knownZones = new Set<string>()
const MAX_KNOWN_ZONES = 64

/**
 * Creates a {@link Zone} for the `timezone` option: 'local' (the process's zone, as the
 * TZ environment variable sets it), 'UTC' (any case; answered without Intl) or an IANA name.
 *
 * Answers come from a cache of the last two spans of instants with a constant offset
 * (and, separately, a constant abbreviation), so consecutive calls cost two comparisons;
 * `Intl` is consulted only when t leaves those spans.
 *
 * Instants a Date cannot hold (non-finite or beyond ±8.64e15 ms) are answered for `Date.now()`.
 *
 * @throws {LanesConfigError} for a zone name Intl does not know.
 */
export function createZone(timezone: string): Zone {
  if (!isKnownTimeZone(timezone)) {
    throw new LanesConfigError('timezone', TIMEZONE_REQUIREMENT, timezone, TIMEZONE_HINT)
  }
  if (timezone.toUpperCase() === 'UTC') return utcZone(timezone)
  return intlZone(timezone)
}

function utcZone(name: string): Zone {
  return {
    name,
    offsetAt: () => 0,
    abbreviationAt: () => 'UTC',
  }
}

function intlZone(name: string): Zone {
  // No timeZone option means the host's default zone, which follows TZ.
  const timeZone = name === 'local' ? undefined : name
  // The local zone's offsets come from Date, which needs none of the ICU formatting data (~8 MB of memory);
  // formatters are made only when a named zone or a %Z abbreviation needs them.
  const offsets = new SpanCache(timeZone === undefined ? localOffset : namedOffset(timeZone))
  let abbreviations: SpanCache<string> | undefined
  return {
    name,
    offsetAt: (t) => offsets.valueAt(t),
    abbreviationAt: (t) => {
      if (abbreviations === undefined) {
        const format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' })
        abbreviations = new SpanCache((at) => timeZoneNamePart(format, at))
      }
      return abbreviations.valueAt(t)
    },
  }
}

const scratch = new Date(0)

/** The host zone's offset at t from Date, in ms east of UTC (Date reports minutes west). */
function localOffset(t: number): number {
  scratch.setTime(t)
  // `|| 0` turns the -0 of a zero offset into 0.
  return -scratch.getTimezoneOffset() * 60_000 || 0
}

function namedOffset(timeZone: string): (t: number) => number {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
  return (t) => parseLongOffset(timeZoneNamePart(format, t))
}

function timeZoneNamePart(format: Intl.DateTimeFormat, t: number): string {
  for (const part of format.formatToParts(t)) {
    if (part.type === 'timeZoneName') return part.value
  }
  throw new Error(`loglanes: Intl gave no time zone name for ${format.resolvedOptions().timeZone}`)
}

// 'GMT', 'GMT+05:30' or, for local mean time, 'GMT+00:53:28'; some locales use U+2212 for minus.
const LONG_OFFSET = /^GMT(?:([+\u2212-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/

/** Parses Intl's `longOffset` zone name into milliseconds east of UTC. */
function parseLongOffset(text: string): number {
  const match = LONG_OFFSET.exec(text)
  if (!match) throw new Error(`loglanes: unexpected Intl offset '${text}'`)
  const [, sign, hours, minutes, seconds] = match
  if (sign === undefined) return 0
  const magnitude = (Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds ?? 0)) * 1000
  return sign === '+' ? magnitude : -magnitude
}

/**
 * Remembers the last two spans `[from, to)` over which `compute` is constant. Two, so
 * lookups alternating across a transition (out-of-order records) do not recompute.
 */
class SpanCache<T> {
  private from0 = 0
  private to0 = 0
  private value0: T | undefined
  private from1 = 0
  private to1 = 0
  private value1: T | undefined

  constructor(private readonly compute: (t: number) => T) {}

  valueAt(t: number): T {
    if (t >= this.from0 && t < this.to0) return this.value0 as T
    if (t >= this.from1 && t < this.to1) {
      this.swap()
      return this.value0 as T
    }
    return this.fill(t)
  }

  private swap(): void {
    const { from0, to0, value0 } = this
    this.from0 = this.from1
    this.to0 = this.to1
    this.value0 = this.value1
    this.from1 = from0
    this.to1 = to0
    this.value1 = value0
  }

  /** Finds the span around t by probing PROBE_MS either side, then makes it the most recent. */
  private fill(time: number): T {
    const t = Math.abs(time) <= MAX_DATE_MS ? Math.floor(time) : Date.now()
    const value = this.compute(t)
    const low = Math.max(t - PROBE_MS, -MAX_DATE_MS)
    const high = Math.min(t + PROBE_MS, MAX_DATE_MS)
    // A probe with the same value is taken to mean no change in between: offsets change
    // far less often than twice in 12 hours.
    const same = (instant: number) => this.compute(instant) === value
    const from = same(low) ? low : firstInstant(low, t, same)
    const to = same(high) ? high + 1 : firstInstant(t, high, (instant) => !same(instant))
    this.from1 = this.from0
    this.to1 = this.to0
    this.value1 = this.value0
    this.from0 = from
    this.to0 = to
    this.value0 = value
    return value
  }
}

/** Smallest instant in (low, high] where `holds` is true, given it is false at low and true at high. */
export function firstInstant(low: number, high: number, holds: (instant: number) => boolean): number {
  let a = low
  let b = high
  while (b - a > 1) {
    const mid = Math.floor((a + b) / 2)
    if (holds(mid)) b = mid
    else a = mid
  }
  return b
}
