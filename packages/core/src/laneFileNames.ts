/**
 * The name of a lane's file: `<lane>.log`, or for a later part of a lane capped by `maxFileSize` `<lane>.<N>.log`
 * (N from 1), each `.gz` once compressed. Lane names hold no dot, so the lane and the part cannot be confused.
 */
const LANE_FILE_NAME = /^([A-Za-z][A-Za-z0-9_-]{0,63})(?:\.([1-9][0-9]{0,8}))?\.log(\.gz)?$/

/** What a lane file's name says: its lane, its part (0 for `<lane>.log`), and whether it is a gzip archive. */
export interface LaneFileName {
  readonly lane: string
  readonly part: number
  readonly archive: boolean
}

/**
 * The file name of a lane's part: `db.log` for part 0, then `db.1.log`, `db.2.log`, ...
 *
 * @example
 * ```ts
 * partName('db', 2) // 'db.2.log'
 * ```
 */
export function partName(lane: string, part: number): string {
  return part === 0 ? `${lane}.log` : `${lane}.${part}.log`
}

/**
 * The lane, part and kind a file name gives, or undefined for any name loglanes never gives a lane's file
 * (dot-files such as `.loglanes.lock` or a compression's private copies, other files).
 *
 * @example
 * ```ts
 * parseLaneFileName('db.2.log.gz') // { lane: 'db', part: 2, archive: true }
 * parseLaneFileName('notes.txt') // undefined
 * ```
 */
export function parseLaneFileName(name: string): LaneFileName | undefined {
  const match = LANE_FILE_NAME.exec(name)
  if (match === null) return undefined
  return {
    lane: match[1]!,
    part: match[2] === undefined ? 0 : Number(match[2]),
    archive: match[3] !== undefined,
  }
}
