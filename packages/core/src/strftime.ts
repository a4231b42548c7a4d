import { LanesConfigError } from './lanesConfigError.js'
import type { Zone } from './zone.js'

/** ISO 8601 with milliseconds and offset, e.g. `2026-11-20T14:03:07.045+01:00`. */
export const DEFAULT_TIMESTAMP_FORMAT = '%Y-%m-%dT%H:%M:%S.%L%:z'

/** Renders one directive from the wall clock (a Date whose UTC fields are the zone's wall time). */
type Field = (wall: Date, time: number, offset: number, zone: Zone) => string
type Part = string | Field

/** Largest |epoch ms| a Date can hold. */
const MAX_DATE_MS = 8.64e15
const DAY_MS = 86_400_000

const ONE_DIGIT = digitTable(10, 1, '0')
const TWO_DIGITS = digitTable(100, 2, '0')
const THREE_DIGITS = digitTable(1000, 3, '0')
const SPACE_PADDED = digitTable(32, 2, ' ')
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const WEEKDAYS_SHORT = WEEKDAYS.map((day) => day.slice(0, 3))
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]
const MONTHS_SHORT = MONTHS.map((month) => month.slice(0, 3))

const FIELDS: Record<string, Field> = {
  Y: (wall) => formatYear(wall.getUTCFullYear()),
  m: (wall) => TWO_DIGITS[wall.getUTCMonth() + 1]!,
  d: (wall) => TWO_DIGITS[wall.getUTCDate()]!,
  H: (wall) => TWO_DIGITS[wall.getUTCHours()]!,
  M: (wall) => TWO_DIGITS[wall.getUTCMinutes()]!,
  S: (wall) => TWO_DIGITS[wall.getUTCSeconds()]!,
  L: (wall) => THREE_DIGITS[wall.getUTCMilliseconds()]!,
  // Microseconds as Chronologix writes them; instants only carry milliseconds.
  f: (wall) => `${THREE_DIGITS[wall.getUTCMilliseconds()]!}000`,
  z: (_wall, _time, offset) => formatOffset(offset, ''),
  ':z': (_wall, _time, offset) => formatOffset(offset, ':'),
  Z: (_wall, time, _offset, zone) => zone.abbreviationAt(time),
  j: (wall) => THREE_DIGITS[dayOfYear(wall)]!,
  a: (wall) => WEEKDAYS_SHORT[wall.getUTCDay()]!,
  A: (wall) => WEEKDAYS[wall.getUTCDay()]!,
  b: (wall) => MONTHS_SHORT[wall.getUTCMonth()]!,
  B: (wall) => MONTHS[wall.getUTCMonth()]!,
  p: (wall) => (wall.getUTCHours() < 12 ? 'AM' : 'PM'),
  I: (wall) => TWO_DIGITS[wall.getUTCHours() % 12 || 12]!,
  y: (wall) => TWO_DIGITS[((wall.getUTCFullYear() % 100) + 100) % 100]!,
  e: (wall) => SPACE_PADDED[wall.getUTCDate()]!,
  s: (_wall, time) => String(Math.floor(time / 1000)),
  u: (wall) => ONE_DIGIT[wall.getUTCDay() || 7]!,
}

/** Directives that stand for a sequence of others. */
const SHORTHANDS: Record<string, string> = { F: '%Y-%m-%d', T: '%H:%M:%S' }

const KNOWN_DIRECTIVES = '%Y %m %d %H %M %S %L %f %z %:z %Z %j %a %A %b %B %p %I %y %e %F %T %s %u %%'

/**
 * Compiles a strftime format once; the returned function renders an instant in the zone,
 * with no per-call allocation beyond the result string.
 *
 * Directives: `%Y %m %d %H %M %S %L` (ms) `%f` (µs, ms × 1000) `%z` (+0100) `%:z` (+01:00)
 * `%Z` (zone abbreviation) `%j %a %A %b %B %p %I %y %e %F %T %s %u %%`; names are English.
 * Instants a Date cannot hold (non-finite or beyond ±8.64e15 ms) are rendered for `Date.now()`.
 *
 * @throws {LanesConfigError} for an unknown directive or a trailing lone `%`.
 */
export function compileStrftime(format: string, zone: Zone): (t: number) => string {
  if (typeof format !== 'string') {
    throw new LanesConfigError('timestampFormat', 'must be a string of strftime directives', format)
  }
  const parts = compileParts(format)
  // One Date per compiled format, reused by every call: its UTC fields are the wall clock.
  const wall = new Date(0)

  return (t) => {
    let time = Math.abs(t) <= MAX_DATE_MS ? Math.floor(t) : Date.now()
    let offset = zone.offsetAt(time)
    if (Number.isNaN(wall.setTime(time + offset))) {
      time = Date.now()
      offset = zone.offsetAt(time)
      wall.setTime(time + offset)
    }
    let text = ''
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!
      text += typeof part === 'string' ? part : part(wall, time, offset, zone)
    }
    return text
  }
}

/** Splits a format into literal text and directive renderers, adjacent literals merged. */
function compileParts(format: string): Part[] {
  const parts: Part[] = []
  const addLiteral = (text: string) => {
    const last = parts.length - 1
    if (typeof parts[last] === 'string') parts[last] += text
    else parts.push(text)
  }

  let i = 0
  while (i < format.length) {
    const percent = format.indexOf('%', i)
    if (percent === -1) {
      addLiteral(format.slice(i))
      break
    }
    if (percent > i) addLiteral(format.slice(i, percent))
    const directive = directiveAt(format, percent + 1)
    i = percent + 1 + directive.length
    if (directive === '%') addLiteral('%')
    else if (SHORTHANDS[directive] !== undefined) {
      for (const part of compileParts(SHORTHANDS[directive])) {
        if (typeof part === 'string') addLiteral(part)
        else parts.push(part)
      }
    } else if (FIELDS[directive] !== undefined) parts.push(FIELDS[directive])
    else {
      throw new LanesConfigError(
        'timestampFormat',
        `has an unknown directive '%${directive}' (known: ${KNOWN_DIRECTIVES})`,
        format,
      )
    }
  }
  return parts
}

/** The directive name after a `%` at `index`: one character, or `:` plus one. */
function directiveAt(format: string, index: number): string {
  if (index >= format.length) {
    throw new LanesConfigError('timestampFormat', "ends with a lone '%' (write '%%' for a literal %)", format)
  }
  const first = String.fromCodePoint(format.codePointAt(index)!)
  if (first !== ':' || index + 1 >= format.length) return first
  return first + String.fromCodePoint(format.codePointAt(index + 1)!)
}

function digitTable(size: number, width: number, fill: string): string[] {
  return Array.from({ length: size }, (_, n) => String(n).padStart(width, fill))
}

/** Four-digit year; years beyond 0…9999 keep their sign and extra digits. */
function formatYear(year: number): string {
  return year < 0 ? `-${String(-year).padStart(4, '0')}` : String(year).padStart(4, '0')
}

/** `±HHMM` or `±HH:MM`; offsets with seconds (local mean time) are truncated to the minute. */
function formatOffset(offset: number, separator: string): string {
  const sign = offset < 0 ? '-' : '+'
  const minutes = Math.floor(Math.abs(offset) / 60_000)
  return sign + TWO_DIGITS[Math.floor(minutes / 60)]! + separator + TWO_DIGITS[minutes % 60]!
}

/** 1-based day of the year of the wall clock, by calendar arithmetic (Date.UTC maps years 0–99 to 19xx). */
function dayOfYear(wall: Date): number {
  return Math.floor(wall.getTime() / DAY_MS) - daysFromEpochToJanuaryFirst(wall.getUTCFullYear()) + 1
}

/** Days from 1970-01-01 to January 1st of `year` in the proleptic Gregorian calendar. */
function daysFromEpochToJanuaryFirst(year: number): number {
  // Days to Jan 1 of year y from Jan 1 of year 1 is 365(y-1) plus the leap days before y.
  const before = year - 1
  const leapDays = Math.floor(before / 4) - Math.floor(before / 100) + Math.floor(before / 400)
  return 365 * before + leapDays - 719_162
}
