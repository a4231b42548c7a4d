import { readdir } from 'node:fs/promises'

// The files of one lane in a folder, by state:
//   <lane>.log                      plain: written by lane files, late records included
//   <lane>.log.gz                   the archive: one gzip member per compressed batch of bytes
//   .<lane>.log.<token>.pending     private copy: bytes moved aside for compression, not yet in the archive
//   .<lane>.log.gz.<token>.tmp      the next archive being written (a copy of the archive plus a new member)
//   .<lane>.log.<token>.committing  private copy whose finished, synced temporary archive is being renamed in
// A lane's file stem: its name, and for the parts `maxFileSize` makes, `.<part>` (`db.1.log`, `db.1.log.gz`).
const LANE = '([A-Za-z][A-Za-z0-9_-]{0,63}(?:\\.[1-9][0-9]{0,8})?)'
const TOKEN = '(\\d+-[0-9a-f]+)'
const PLAIN = new RegExp(`^${LANE}\\.log$`)
const ARCHIVE = new RegExp(`^${LANE}\\.log\\.gz$`)
const PRIVATE = new RegExp(`^\\.${LANE}\\.log\\.${TOKEN}\\.(pending|committing)$`)
const TEMPORARY = new RegExp(`^\\.${LANE}\\.log\\.gz\\.${TOKEN}\\.tmp$`)

/** What one lane has in a folder, as {@link scanFolder} found it. */
export interface LaneFiles {
  readonly lane: string
  /** `<lane>.log` exists. */
  plain: boolean
  /** `<lane>.log.gz` exists. */
  archive: boolean
  /** Tokens of private copies not yet in the archive. */
  readonly pending: string[]
  /** Tokens of private copies whose temporary archive was finished (a pass stopped while renaming it in). */
  readonly committing: string[]
  /** Tokens of temporary archives. */
  readonly temporaries: string[]
}

/** The lanes of one interval folder with something to compress or to finish. */
export interface FolderScan {
  readonly path: string
  /** Only lanes with work: a plain file, a private copy or a temporary archive. */
  readonly lanes: ReadonlyMap<string, LaneFiles>
}

/**
 * Lists the lanes of `folder` that have something to compress or to finish. A missing folder has none.
 *
 * @example
 * ```ts
 * const scan = await scanFolder('logs/2026-11-20__13-00')
 * if (scan.lanes.size > 0) await gzipFolder(scan)
 * ```
 */
export async function scanFolder(folder: string): Promise<FolderScan> {
  const lanes = new Map<string, LaneFiles>()
  const laneOf = (lane: string) => {
    let files = lanes.get(lane)
    if (files === undefined) {
      files = { lane, plain: false, archive: false, pending: [], committing: [], temporaries: [] }
      lanes.set(lane, files)
    }
    return files
  }
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return [] as string[]
    throw error
  })
  for (const name of names) {
    let match = PLAIN.exec(name)
    if (match) {
      laneOf(match[1]!).plain = true
      continue
    }
    match = PRIVATE.exec(name)
    if (match) {
      laneOf(match[1]!)[match[3] === 'pending' ? 'pending' : 'committing'].push(match[2]!)
      continue
    }
    match = TEMPORARY.exec(name)
    if (match) {
      laneOf(match[1]!).temporaries.push(match[2]!)
      continue
    }
    match = ARCHIVE.exec(name)
    if (match) laneOf(match[1]!).archive = true
  }
  for (const [lane, files] of lanes) {
    const work = files.plain || files.pending.length + files.committing.length + files.temporaries.length > 0
    if (!work) lanes.delete(lane)
  }
  return { path: folder, lanes }
}
