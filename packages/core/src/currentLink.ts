import { lstat, readlink, rename, symlink, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { uniqueToken } from './maintenanceLock.js'

/**
 * Points the symbolic link `<dir>/<name>` at `target` (a folder name in `dir`, linked relatively, so the link
 * survives moving `dir`). The link is replaced atomically: a new link is made under a unique temporary
 * dot-name, then renamed over the old one, so a reader (`tail -F logs/current/db.log`) always finds a link and
 * any number of processes doing it at once never fail; the last rename wins. The target need not exist yet.
 * A file or folder of that name that is not a link is left alone.
 *
 * @returns true when the link was (re)made, false when it already pointed at `target`.
 * @throws the file system error, or an `EEXIST` error when `<dir>/<name>` exists and is not a link.
 * @example
 * ```ts
 * await pointLink('logs', 'current', '2026-11-20__14-00') // logs/current -> 2026-11-20__14-00
 * ```
 */
export async function pointLink(dir: string, name: string, target: string): Promise<boolean> {
  const path = join(dir, name)
  const existing = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (existing !== undefined) {
    if (!existing.isSymbolicLink()) {
      throw Object.assign(new Error(`${path} exists and is not a symbolic link; it is left alone`), {
        code: 'EEXIST',
        path,
      })
    }
    if ((await readlink(path).catch(() => undefined)) === target) return false
  }
  const temporary = join(dir, `.${name}.${uniqueToken()}.link`)
  // Windows makes directory links without privileges only as junctions, which need an absolute target.
  if (process.platform === 'win32') await symlink(join(dir, target), temporary, 'junction')
  else await symlink(target, temporary)
  try {
    await rename(temporary, path)
  } catch (error) {
    await unlink(temporary).catch(() => {})
    throw error
  }
  return true
}
