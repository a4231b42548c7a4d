import { readdir, rmdir, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { entryOf, openFolder } from './ownFiles.js'

/** Folder depth emptied below the entry removed: loglanes makes none; deeper trees were planted, and stay. */
const MAX_DEPTH = 8

/**
 * Removes the entry `name` of the folder `parent` (`dir`, or a folder in it) without ever following a link: a file, link, FIFO or socket is
 * unlinked (a link's target is never touched), a folder is entered by descriptor (never through a link, even one
 * swapped in meanwhile) and emptied the same way, then removed. For retention and the lock, in `dir`, which other
 * local accounts may be able to write. A missing entry is no error.
 *
 * @throws the file system error that stopped it (an entry it may not remove, a tree deeper than it empties).
 * @example
 * ```ts
 * await removeOwnEntry('logs', '2026-10-01') // the folder and everything in it; links in it, not their targets
 * ```
 */
export async function removeOwnEntry(parent: string, name: string): Promise<void> {
  const folder = await openFolder(parent, true)
  try {
    await removeIn(folder.fd, parent, name, 0)
  } finally {
    await folder.close()
  }
}

async function removeIn(parentFd: number, parentPath: string, name: string, depth: number): Promise<void> {
  const path = entryOf(parentFd, parentPath, name)
  try {
    await unlink(path)
    return
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException
    if (code === 'ENOENT') return
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
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  try {
    for (const child of await readdir(entryOf(folder.fd, shownPath, ''))) {
      await removeIn(folder.fd, shownPath, child, depth + 1)
    }
  } finally {
    await folder.close()
  }
  try {
    await rmdir(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}
