/** pino's default levels, `{ label: number }` (higher is more severe). */
export const PINO_LEVELS: Readonly<Record<string, number>> = Object.freeze({
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
})

/** Integer levels up to this are labelled from an array (pino's are 10-60). */
const SMALL_LEVELS = 128

/** Times below this are seconds (pino's `unixTime`), not milliseconds: 1e11 ms is March 1973. */
const SECONDS_LIMIT = 1e11

/**
 * Level labels for the values pino writes: known numbers map to their label, other numbers to `level-<n>`,
 * strings (a `formatters.level` that writes labels) stay as they are. Missing levels get `''`: no level file.
 */
export class LevelLabels {
  private readonly byNumber = new Map<number, string>()
  /** Labels of the integer levels below {@link SMALL_LEVELS} by level, '' when unknown: an array read per line. */
  private readonly small: string[] = new Array<string>(SMALL_LEVELS).fill('')

  constructor(levels: ReadonlyMap<string, number>) {
    for (const [label, value] of levels) this.set(value, label)
  }

  /** Adds labels the logger announced; a number first seen unlabelled gets its real label from now on. */
  learn(levels: Readonly<Record<string, number>>): void {
    for (const [label, value] of Object.entries(levels)) {
      const known = this.byNumber.get(value)
      if (known === undefined || known.startsWith('level-')) this.set(value, label)
    }
  }

  labelOf(level: number | string | undefined): string {
    if (typeof level === 'number') {
      if (level >= 0 && level < SMALL_LEVELS && (level | 0) === level) {
        const label = this.small[level]!
        if (label !== '') return label
      }
      let label = this.byNumber.get(level)
      if (label === undefined) {
        label = `level-${level}`
        if (this.byNumber.size < 1024) this.set(level, label)
      }
      return label
    }
    return typeof level === 'string' ? level : ''
  }

  private set(level: number, label: string): void {
    this.byNumber.set(level, label)
    if (level >= 0 && level < SMALL_LEVELS && (level | 0) === level) this.small[level] = label
  }
}

/**
 * The epoch-ms time of a record from its `time` value: epoch ms (pino's default), epoch seconds (`unixTime`)
 * or an ISO string (`isoTime`). NaN when there is none, which routes the record by the current time.
 */
export class RecordTimes {
  private lastText = ''
  private lastValue = Number.NaN

  timeOf(time: number | string | undefined): number {
    if (typeof time === 'number') return this.ofNumber(time)
    if (typeof time !== 'string') return Number.NaN
    // Consecutive lines usually share their millisecond: parse each distinct string once.
    if (time !== this.lastText) {
      this.lastText = time
      this.lastValue = Date.parse(time)
    }
    return this.lastValue
  }

  /** The epoch-ms time of a numeric `time` (NaN stays NaN). */
  ofNumber(time: number): number {
    return Math.abs(time) < SECONDS_LIMIT ? time * 1000 : time
  }
}
