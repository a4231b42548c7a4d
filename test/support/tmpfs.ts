import { execFileSync } from 'node:child_process'
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'

/** Mount points made by this test file, unmounted (newest first) once it has run. */
const mounts: string[] = []
/** Folders holding them, removed after the unmounts. */
const bases: string[] = []
afterAll(() => {
  for (const target of mounts.splice(0).reverse()) unmount(target)
  for (const base of bases.splice(0)) rmSync(base, { recursive: true, force: true })
})

/**
 * Why a small tmpfs cannot be mounted here (not root, or `mount` failed), or undefined when it can: tests of a
 * real full disk skip with this as their message.
 */
export const TMPFS_UNAVAILABLE: string | undefined = probe()

/**
 * A fresh folder holding an empty tmpfs of `size` (a `mount -o size=` value such as `'4m'`) at `<base>/disk`;
 * unmounted and removed after the test file has run. Needs root: check `TMPFS_UNAVAILABLE` first.
 */
export function mountTmpfs(size: string): { base: string; disk: string } {
  const base = mkdtempSync(join(tmpdir(), 'loglanes-tmpfs-'))
  bases.push(base)
  const disk = join(base, 'disk')
  mkdirSync(disk)
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', disk])
  mounts.push(disk)
  return { base, disk }
}

/** Bind-mounts the existing file `source` on the existing file `target`; undone after the test file has run. */
export function bindFile(source: string, target: string): void {
  execFileSync('mount', ['--bind', source, target])
  mounts.push(target)
}

function probe(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root: mounting a small tmpfs needs root'
  const dir = mkdtempSync(join(tmpdir(), 'loglanes-tmpfs-probe-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'pipe' })
    unmount(dir)
    return undefined
  } catch (error) {
    return `cannot mount a tmpfs: ${String((error as { stderr?: unknown }).stderr ?? error).trim()}`
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function unmount(target: string): void {
  try {
    execFileSync('umount', [target], { stdio: 'pipe' })
  } catch {
    // Still busy (a child that did not end): detach it now, the kernel frees it when the last user goes.
    execFileSync('umount', ['-l', target], { stdio: 'pipe' })
  }
}

/** Writes `path` until the disk holding it is full (ENOSPC); returns the bytes it took. */
export function fillDisk(path: string): number {
  const chunk = Buffer.alloc(64 * 1024, 0x2e)
  const fd = openSync(path, 'w')
  let size = 0
  try {
    for (;;) size += writeSync(fd, chunk)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
    return size
  } finally {
    closeSync(fd)
  }
}
