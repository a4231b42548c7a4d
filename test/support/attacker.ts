// Helpers of the hostile-folder tests: what an attacker plants in `dir`, and proof that what it points at is
// untouched afterwards (read without following links, so checking a victim never disturbs it).

import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'

/** The unprivileged account the attacker runs as (Debian's `nobody`). */
export const NOBODY = 65534
export const IS_ROOT = process.getuid?.() === 0
/** util-linux's setpriv, to run the attacker's steps as {@link NOBODY} (the fixture runs it). */
export const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path))

/** Makes a FIFO (named pipe) at `path`. */
export function mkfifo(path: string): void {
  execFileSync('mkfifo', ['-m', '0644', path])
}

/** What an entry is, without following links or reading FIFOs, sockets or devices. */
export interface Snapshot {
  readonly type: string
  readonly mode: number
  readonly uid: number
  readonly mtimeMs: number
  /** A link's target. */
  readonly target?: string
  /** A regular file's size and content digest. */
  readonly size?: number
  readonly sha256?: string
  /** A folder's entries, by name. */
  readonly entries?: Record<string, Snapshot>
}

/** A snapshot of `path` (a folder with everything under it); undefined when nothing is there. */
export function snapshot(path: string): Snapshot | undefined {
  let info: ReturnType<typeof lstatSync>
  try {
    info = lstatSync(path)
  } catch {
    return undefined
  }
  // No link count: a hard link's target loses one when the planted link is removed, and that is no change to it.
  const base = { mode: info.mode, uid: info.uid, mtimeMs: info.mtimeMs }
  if (info.isSymbolicLink()) return { type: 'link', ...base, target: readlinkSync(path) }
  if (info.isFile()) {
    const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex')
    return { type: 'file', ...base, size: info.size, sha256 }
  }
  if (info.isDirectory()) {
    const entries: Record<string, Snapshot> = {}
    for (const name of readdirSync(path).sort()) entries[name] = snapshot(join(path, name))!
    return { type: 'folder', ...base, entries }
  }
  const type = info.isFIFO() ? 'fifo' : info.isSocket() ? 'socket' : 'device'
  return { type, ...base }
}

/** Every regular file under `root`, not following links, tolerant of entries that vanish meanwhile. */
function regularFiles(root: string): string[] {
  const out: string[] = []
  const walk = (folder: string) => {
    let names: string[]
    try {
      names = readdirSync(folder)
    } catch {
      return
    }
    for (const name of names) {
      const path = join(folder, name)
      try {
        const info = lstatSync(path)
        if (info.isDirectory()) walk(path)
        else if (info.isFile()) out.push(path)
      } catch {
        // Renamed or removed while we looked.
      }
    }
  }
  walk(root)
  return out
}

/** The size of the largest regular file under `root` (0 when none). */
export function largestFile(root: string): number {
  let largest = 0
  for (const path of regularFiles(root)) {
    try {
      largest = Math.max(largest, lstatSync(path).size)
    } catch {
      // Gone meanwhile.
    }
  }
  return largest
}

/** The `.gz` files under `root` whose content (every gzip member; raw bytes when it is not gzip) holds `text`. */
export function archivesHolding(root: string, text: string): string[] {
  return regularFiles(root).filter((path) => {
    if (!path.endsWith('.gz')) return false
    const bytes = readFileSync(path)
    let content: Buffer
    try {
      content = gunzipSync(bytes)
    } catch {
      content = bytes
    }
    return content.includes(text)
  })
}

/** The `.gz` files under `root`. */
export function archivesUnder(root: string): string[] {
  return regularFiles(root).filter((path) => path.endsWith('.gz'))
}

/** A process's peak resident set size so far in MB (Linux `VmHWM`), undefined once it is gone. */
export function peakRssMB(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) / 1024 : undefined
  } catch {
    return undefined
  }
}
