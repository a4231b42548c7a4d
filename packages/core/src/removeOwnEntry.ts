import { readdir, rmdir, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { entryOf, openFolder } from './ownFiles.js'

/** Folder depth emptied below the entry removed: loglanes makes none; deeper trees were planted, and stay. */
const MAX_DEPTH = 8
/** Entries removed between two looks at `stop`. */
const STOP_EVERY = 64

/**
 * Removes the entry `name` of the folder `parent` (`dir`, or a folder in it) without ever following a link: a file, link, FIFO or socket is
 * unlinked (a link's target is never touched), a folder is entered by descriptor (never through a link, even one
 * swapped in meanwhile) and emptied the same way, then removed. For retention and the lock, in `dir`, which other
 * local accounts may be able to write. A missing entry is no error.
 *
 * `stop`, asked every few dozen entries, ends it early (a closing process that must not wait on a folder someone
 * filled with a million files): what is left is removed by a later call.
 *
 * @returns false when `stop` ended it before the entry was gone.
 * @throws the file system error that stopped it (an entry it may not remove, a tree deeper than it empties).
 * @example
 * ```ts
 * await removeOwnEntry('logs', '2026-10-01') // the folder and everything in it; links in it, not their targets
 * ```
 */
export async function removeOwnEntry(parent: string, name: string, stop?: () => boolean): Promise<boolean> {
  const folder = await openFolder(parent, true)
  try {
    return await removeIn(folder.fd, parent, name, 0, { stop, removed: 0 })
  } finally {
    await folder.close()
  }
}

interface Removal {
  readonly stop: (() => boolean) | undefined
  removed: number
}

async function removeIn(
  parentFd: number,
  parentPath: string,
  name: string,
  depth: number,
  removal: Removal,
): Promise<boolean> {
  if (++removal.removed % STOP_EVERY === 0 && removal.stop?.() === true) return false
  const path = entryOf(parentFd, parentPath, name)
  try {
    await unlink(path)
    return true
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException
    if (code === 'ENOENT') return true
    // A folder: EISDIR on Linux, EPERM where unlink(2) refuses folders that way.
    if (code !== 'EISDIR' && code !== 'EPERM') throw error
  }
  const shownPath = join(parentPath, name)
  if (depth === MAX_DEPTH) {
    throw Object.assign(new Error(`${shownPath} holds folders more than ${MAX_DEPTH} deep`), {
      code: 'ENOTEMPTY',
      path: shownPath,
    })
  }
  let folder: Awaited<ReturnType<typeof openFolder>>
  try {
    folder = await openFolder(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true
    throw error
  }
  try {
    for (const child of await readdir(entryOf(folder.fd, shownPath, ''))) {
      if (!(await removeIn(folder.fd, shownPath, child, depth + 1, removal))) return false
    }
  } finally {
    await folder.close()
  }
  try {
    await rmdir(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  return true
}
