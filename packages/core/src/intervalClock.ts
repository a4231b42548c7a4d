import { formatFolderName, parseFolderName } from './folderNames.js'
import { LanesConfigError } from './lanesConfigError.js'
import { firstInstant, type Zone } from './zone.js'

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
  /**
   * The interval a folder name stands for: its earliest start and its latest end (a DST fall-back can give one
   * name two runs of instants). Undefined for a name this clock never produces: another interval's or form's
   * name, anything else, a name inside a spring-forward gap, and every name for 'none'. Not cached.
   */
  intervalNamed(name: string): Interval | undefined
}

/**
 * How far ahead of this host's clock a record time may be and still count as the present: another host's clock
 * a little ahead, records stamped just before a boundary and routed after it. 5 minutes. A record timed further
 * ahead (a wrong clock, a bad or hostile time) is written in its own folder, but is no rollover: it moves neither
 * the `current` link nor retention, and its folder does not count toward `retention.keep` until its interval
 * comes.
 *
 * @example
 * ```ts
 * const startsTooFarAhead = (interval: Interval) => interval.start - Date.now() > MAX_CLOCK_SKEW_MS
 * ```
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000

const INTERVAL_REQUIREMENT = "must divide a day evenly (1m…24h) or be 'none'"
const INTERVAL_PATTERN = /^([1-9]\d{0,3})([mh])$/
const MINUTES_PER_DAY = 1440
const MINUTE_MS = 60_000
const DAY_MS = 86_400_000
/** Largest |epoch ms| a Date can hold. */
const MAX_DATE_MS = 8.64e15
/** Offset transitions an interval may span before the walk gives up (a day holds at most one or two). */
const MAX_TRANSITIONS = 8
/** Farther than any zone's offset from UTC: an interval's instants lie within this of its wall times. */
const OFFSET_REACH_MS = 18 * 3_600_000
/** Offsets last far longer than this between changes: probing at this step finds each one. */
const OFFSET_PROBE_MS = 3_600_000
/** Days whose offsets {@link IntervalClock.intervalNamed} remembers. */
const MAX_CACHED_DAYS = 64

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
    return { minutes, intervalAt: () => NO_INTERVAL, folderAt: () => '', intervalNamed: () => undefined }
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

  return {
    minutes,
    intervalAt,
    folderAt: (t) => intervalAt(t).name,
    intervalNamed: namedIntervalResolver(minutes, zone, resolve),
  }
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
      name: formatFolderName(wallStart, minutes),
      start: run.startBefore(t),
      end: run.endAfter(t),
    })
  }
}

/**
 * Computes the interval of a folder name: every run of instants whose wall time falls in the name's
 * `[wallStart, wallEnd)` is found from one of its ends, at one of the offsets the zone has around that day.
 */
function namedIntervalResolver(
  minutes: number,
  zone: Zone,
  resolve: (t: number) => Interval,
): (name: string) => Interval | undefined {
  const lengthMs = minutes * MINUTE_MS
  // The offsets around a wall day, for the names of that day: folders come in runs of the same days.
  const offsetsByDay = new Map<number, readonly number[]>()
  const offsetsAround = (wallStart: number): readonly number[] => {
    const day = Math.floor(wallStart / DAY_MS) * DAY_MS
    let offsets = offsetsByDay.get(day)
    if (offsets === undefined) {
      const found = new Set<number>()
      for (
        let probe = day - OFFSET_REACH_MS;
        probe <= day + DAY_MS + OFFSET_REACH_MS;
        probe += OFFSET_PROBE_MS
      ) {
        if (Math.abs(probe) <= MAX_DATE_MS) found.add(zone.offsetAt(probe))
      }
      offsets = [...found]
      if (offsetsByDay.size >= MAX_CACHED_DAYS) offsetsByDay.clear()
      offsetsByDay.set(day, offsets)
    }
    return offsets
  }

  return (name) => {
    const wallStart = parseFolderName(name, minutes)
    if (wallStart === undefined) return undefined
    const wallEnd = wallStart + lengthMs
    let start = Infinity
    let end = -Infinity
    for (const offset of offsetsAround(wallStart)) {
      // The first and the last instant that would carry a wall time of the interval at this offset.
      for (const candidate of [wallStart - offset, wallEnd - 1 - offset]) {
        if (Math.abs(candidate) > MAX_DATE_MS || (candidate >= start && candidate < end)) continue
        const wall = candidate + zone.offsetAt(candidate)
        if (wall < wallStart || wall >= wallEnd) continue
        const run = resolve(candidate)
        if (run.start < start) start = run.start
        if (run.end > end) end = run.end
      }
    }
    return start < end ? Object.freeze({ name, start, end }) : undefined
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
