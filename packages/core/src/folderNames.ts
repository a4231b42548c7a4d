const MINUTES_PER_DAY = 1440
const MINUTE_MS = 60_000
const DAY_MS = 86_400_000
const NAME_PATTERN = /^(-?\d{4,})-(\d{2})-(\d{2})(?:__(\d{2})-(\d{2}))?$/

/**
 * The folder name of an interval: `YYYY-MM-DD` for a whole day (`minutes` 1440), else `YYYY-MM-DD__HH-MM`.
 *
 * @param wallStart the interval's start as wall-clock time in its zone, written as a UTC epoch (ms).
 * @example
 * ```ts
 * formatFolderName(Date.UTC(2026, 10, 20, 14, 0), 60) // '2026-11-20__14-00'
 * formatFolderName(Date.UTC(2026, 10, 20), 1440) // '2026-11-20'
 * ```
 */
export function formatFolderName(wallStart: number, minutes: number): string {
  const wall = new Date(wallStart)
  const date = `${formatYear(wall.getUTCFullYear())}-${pad2(wall.getUTCMonth() + 1)}-${pad2(wall.getUTCDate())}`
  if (minutes === MINUTES_PER_DAY) return date
  return `${date}__${pad2(wall.getUTCHours())}-${pad2(wall.getUTCMinutes())}`
}

/**
 * The inverse of {@link formatFolderName}: the wall-clock start (a UTC epoch, ms) of the interval a folder name
 * stands for, or undefined when the name is not one an interval of `minutes` produces. Other files, a day that
 * does not exist, a time not aligned to the interval (`__14-30` for `1h`) or the other form (`YYYY-MM-DD` for
 * `1h`) are all undefined, so loglanes never mistakes anything else in `dir` for one of its folders.
 *
 * @example
 * ```ts
 * parseFolderName('2026-11-20__14-00', 60) // Date.UTC(2026, 10, 20, 14, 0)
 * parseFolderName('2026-11-20__14-30', 60) // undefined: a 30m folder
 * parseFolderName('2026-02-30', 1440) // undefined
 * ```
 */
export function parseFolderName(name: string, minutes: number): number | undefined {
  const match = NAME_PATTERN.exec(name)
  if (!match) return undefined
  const [, year, month, day, hours, mins] = match
  const daily = minutes === MINUTES_PER_DAY
  if (daily !== (hours === undefined)) return undefined
  const minuteOfDay = daily ? 0 : Number(hours) * 60 + Number(mins)
  if (minuteOfDay % minutes !== 0) return undefined
  const date = new Date(0)
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day))
  const wallStart = date.getTime() + minuteOfDay * MINUTE_MS
  // Formatting back rejects what the Date normalised (Feb 30, 24-00, 10-60) and unusual spellings of years.
  if (!Number.isFinite(wallStart) || minuteOfDay >= DAY_MS / MINUTE_MS) return undefined
  return formatFolderName(wallStart, minutes) === name ? wallStart : undefined
}

function formatYear(year: number): string {
  return year < 0 ? `-${String(-year).padStart(4, '0')}` : String(year).padStart(4, '0')
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value)
}
