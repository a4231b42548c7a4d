/** One record read from a lane file. */
export interface LaneRecord {
  /**
   * Epoch ms for ordering: the record's own time (pino `time`, winston `timestamp`, or the ISO timestamp opening a
   * text-format line), else the time of the record before it in its file, so untimed records keep file order.
   */
  readonly time: number
  /** Whether `time` is the record's own. */
  readonly timed: boolean
  /**
   * The record as written: its line, and the indented continuation lines of a text-format stack, without the
   * last `\n`.
   */
  readonly text: string
  /**
   * The parsed object of a JSON line; undefined for a text-format (or otherwise non-JSON) line, and when the
   * assembler was asked for times only.
   */
  readonly json: Record<string, unknown> | undefined
}

/** Times below this are seconds (pino's `unixTime`), not milliseconds: 1e11 ms is March 1973. */
const SECONDS_LIMIT = 1e11
// The ISO 8601 timestamp that opens a text-format line in the default timestampFormat.
const TEXT_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}[^ ]*/
const CONTINUATION = '    '
// How pino starts a line: its level, then its epoch-ms time. The time is the record's unless a later top-level
// `"time":` overrides it (JSON.parse keeps the last), so a line with another `"time":` anywhere is parsed instead.
const PINO_START = /^\{"level":(?:\d+|"[^"\\]*"),"time":(\d+)[,}]/
const TIME_KEY = '"time":'

/** The epoch-ms time of a pino or winston record, NaN when it has none that reads as a time. */
export function timeOfJson(json: Record<string, unknown>): number {
  const time = json.time ?? json.timestamp
  if (typeof time === 'number') return Math.abs(time) < SECONDS_LIMIT ? time * 1000 : time
  if (typeof time === 'string') return Date.parse(time)
  return Number.NaN
}

function parseJson(line: string): Record<string, unknown> | undefined {
  if (line.charCodeAt(0) !== 0x7b /* { */) return undefined
  try {
    const value: unknown = JSON.parse(line)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/**
 * Turns the lines of one lane file, in order, into records: a JSON line is a record; a text-format line is a
 * record together with the indented continuation lines (a stack) that follow it. Empty lines are skipped.
 */
export class RecordAssembler {
  private pending: string[] | undefined
  private lastTime = Number.NEGATIVE_INFINITY
  /**
   * @param timesOnly read only the time of JSON lines (printing them as written needs no more): the time of a line
   *   as pino starts it is read from its start, without parsing, and `json` is left undefined.
   */
  constructor(private readonly timesOnly = false) {}

  /** Adds one line; the records it completes are appended to `out`. */
  push(line: string, out: LaneRecord[]): void {
    if (line === '') return
    if (this.pending !== undefined && line.startsWith(CONTINUATION)) {
      this.pending.push(line)
      return
    }
    this.flush(out)
    this.pending = [line]
  }

  /** Completes the record in progress (the file ends, or nothing more arrived yet: a stack is written at once). */
  flush(out: LaneRecord[]): void {
    const lines = this.pending
    if (lines === undefined) return
    this.pending = undefined
    const first = lines[0]!
    let json: Record<string, unknown> | undefined
    let time = Number.NaN
    const pino = this.timesOnly ? PINO_START.exec(first) : null
    if (pino !== null && first.indexOf(TIME_KEY, pino[0].length) === -1) {
      time = timeOfJson({ time: Number(pino[1]) })
    } else {
      json = parseJson(first)
      if (json !== undefined) time = timeOfJson(json)
      else {
        const stamp = TEXT_TIMESTAMP.exec(first)
        if (stamp) time = Date.parse(stamp[0])
      }
      if (this.timesOnly) json = undefined
    }
    const timed = Number.isFinite(time)
    if (timed) this.lastTime = time
    out.push({ time: timed ? time : this.lastTime, timed, text: lines.join('\n'), json })
  }
}
