import { LanesConfigError } from './lanesConfigError.js'
import type { Zone } from './zone.js'

/** The `[start, end)` instants (epoch ms) during which a record's folder name is `name`. */
export interface Interval {
  readonly name: string
  readonly start: number
  readonly end: number
}

/** Maps record times to interval folders aligned to a zone's wall clock (see {@link createIntervalClock}). */
export interface IntervalClock {
  /** Interval length in minutes; null for 'none'. */
  readonly minutes: number | null
  /** The interval containing record time t. Cheap when t falls in the last returned interval (two comparisons, no allocation). */
  intervalAt(t: number): Interval
  /** Folder name only (same caching). '' for interval 'none'. */
  folderAt(t: number): string
}

const INTERVAL_REQUIREMENT = "must divide a day evenly (1m…24h) or be 'none'"
const INTERVAL_PATTERN = /^([1-9]\d{0,3})([mh])$/
const MINUTES_PER_DAY = 1440
const MINUTE_MS = 60_000
const DAY_MS = 86_400_000
/** Largest |epoch ms| a Date can hold. */
const MAX_DATE_MS = 8.64e15
/** Offset transitions an interval may span before the walk gives up (a day holds at most one or two). */
const MAX_TRANSITIONS = 8

const NO_INTERVAL: Interval = Object.freeze({ name: '', start: -Infinity, end: Infinity })
/** Contains no instant: the cache's starting value. */
const EMPTY_INTERVAL: Interval = Object.freeze({ name: '', start: 0, end: 0 })

/**
 * Parses the `interval` option: `Nm` or `Nh` (N a positive integer written without sign or
 * leading zeros) that divides a day evenly, from `1m` to `24h`, or `'none'`.
 *
 * @returns the interval in minutes, or null for `'none'`.
 * @throws {LanesConfigError} for anything else, e.g. `'7m'`, `'25h'`, `'1d'` or a number.
 */
export function parseInterval(text: unknown): number | null {
  if (text === 'none') return null
  const match = typeof text === 'string' ? INTERVAL_PATTERN.exec(text) : null
  if (match) {
    const minutes = Number(match[1]) * (match[2] === 'h' ? 60 : 1)
    if (dividesDay(minutes)) return minutes
  }
  throw new LanesConfigError('interval', INTERVAL_REQUIREMENT, text)
}

function dividesDay(minutes: number): boolean {
  return (
    Number.isInteger(minutes) && minutes >= 1 && minutes <= MINUTES_PER_DAY && MINUTES_PER_DAY % minutes === 0
  )
}

/**
 * Creates the clock that names a record's interval folder from the record's own time.
 *
 * The name is the record's wall-clock time in `zone` floored to the interval (aligned to
 * wall midnight): `YYYY-MM-DD` for 24h, `YYYY-MM-DD__HH-MM` for shorter intervals, `''`
 * for `null` ('none'). DST comes from real instants: repeated fall-back wall times share
 * one name, and a spring-forward gap has no folder. An interval's `start`/`end` bound the
 * contiguous run of instants around t sharing its name, so a 24h interval may last 23 or
 * 25 hours.
 *
 * Record times a Date cannot hold (non-finite or beyond ±8.64e15 ms) are the caller's
 * problem; they get the interval of `Date.now()`.
 *
 * @param minutes interval length from {@link parseInterval}; null for 'none'.
 * @throws {LanesConfigError} when `minutes` does not divide a day evenly.
 */
export function createIntervalClock(minutes: number | null, zone: Zone): IntervalClock {
  if (minutes === null) {
    return { minutes, intervalAt: () => NO_INTERVAL, folderAt: () => '' }
  }
  if (!dividesDay(minutes)) throw new LanesConfigError('interval', INTERVAL_REQUIREMENT, minutes)

  const resolve = intervalResolver(minutes, zone)
  // The last two intervals, most recent first: records near a boundary arrive interleaved.
  let recent = EMPTY_INTERVAL
  let previous = EMPTY_INTERVAL

  function intervalAt(t: number): Interval {
    if (t >= recent.start && t < recent.end) return recent
    if (t >= previous.start && t < previous.end) {
      const found = previous
      previous = recent
      recent = found
      return found
    }
    previous = recent
    recent = resolve(t)
    return recent
  }

  return { minutes, intervalAt, folderAt: (t) => intervalAt(t).name }
}

/** Computes (uncached) the interval containing an instant, for one interval length and zone. */
function intervalResolver(minutes: number, zone: Zone): (t: number) => Interval {
  const lengthMs = minutes * MINUTE_MS

  return (time) => {
    const t = Math.abs(time) <= MAX_DATE_MS ? Math.floor(time) : Date.now()
    const wall = t + zone.offsetAt(t)
    const wallDay = Math.floor(wall / DAY_MS) * DAY_MS
    const wallStart = wallDay + Math.floor((wall - wallDay) / lengthMs) * lengthMs
    const wallEnd = wallStart + lengthMs
    const run = new WallRun(zone, wallStart, wallEnd)
    return Object.freeze({
      name: folderName(wallStart, minutes),
      start: run.startBefore(t),
      end: run.endAfter(t),
    })
  }
}

/** The instants whose wall-clock time falls in `[wallStart, wallEnd)`, explored around an instant in it. */
class WallRun {
  constructor(
    private readonly zone: Zone,
    private readonly wallStart: number,
    private readonly wallEnd: number,
  ) {}

  private contains(instant: number): boolean {
    const wall = instant + this.zone.offsetAt(instant)
    return wall >= this.wallStart && wall < this.wallEnd
  }

  /** First instant of the contiguous run that contains t. */
  startBefore(t: number): number {
    let at = t
    for (let hop = 0; hop < MAX_TRANSITIONS; hop++) {
      const offset = this.zone.offsetAt(at)
      // Where the run would start if the offset at `at` held all the way back.
      const start = this.wallStart - offset
      if (start <= -MAX_DATE_MS) return start
      const sameOffset = (instant: number) => this.zone.offsetAt(instant) === offset
      const pieceStart = sameOffset(start) ? start : firstInstant(start, at, sameOffset)
      const before = pieceStart - 1
      // A transition right before the piece may repeat wall times of the run (fall-back).
      if (sameOffset(before) || !this.contains(before)) return pieceStart
      at = before
    }
    return at
  }

  /** First instant after t that is not in the contiguous run containing t. */
  endAfter(t: number): number {
    let at = t
    for (let hop = 0; hop < MAX_TRANSITIONS; hop++) {
      const offset = this.zone.offsetAt(at)
      // Where the run would end if the offset at `at` held all the way forward.
      const end = this.wallEnd - offset
      if (end > MAX_DATE_MS) return end
      const otherOffset = (instant: number) => this.zone.offsetAt(instant) !== offset
      const pieceEnd = otherOffset(end - 1) ? firstInstant(at, end - 1, otherOffset) : end
      if (!otherOffset(pieceEnd) || !this.contains(pieceEnd)) return pieceEnd
      at = pieceEnd
    }
    return at + 1
  }
}

/** Smallest instant in (low, high] where `holds` is true, given it is false at low and true at high. */
function firstInstant(low: number, high: number, holds: (instant: number) => boolean): number {
  let a = low
  let b = high
  while (b - a > 1) {
    const mid = Math.floor((a + b) / 2)
    if (holds(mid)) b = mid
    else a = mid
  }
  return b
}

/** `YYYY-MM-DD` for a whole day, else `YYYY-MM-DD__HH-MM`, from a wall-clock instant. */
function folderName(wallStart: number, minutes: number): string {
  const wall = new Date(wallStart)
  const date = `${formatYear(wall.getUTCFullYear())}-${pad2(wall.getUTCMonth() + 1)}-${pad2(wall.getUTCDate())}`
  if (minutes === MINUTES_PER_DAY) return date
  return `${date}__${pad2(wall.getUTCHours())}-${pad2(wall.getUTCMinutes())}`
}

function formatYear(year: number): string {
  return year < 0 ? `-${String(-year).padStart(4, '0')}` : String(year).padStart(4, '0')
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value)
}
