import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll } from 'vitest'

/**
 * A real slow disk for tests of a lane slower than the producer: an ext4 file system on a loop device, mounted
 * `-o sync` (every `write(2)` waits for the device), whose writes are throttled by the kernel's block layer to a
 * set rate for the processes of one cgroup only. Its image lives on a tmpfs of its own, so the device's own pace
 * (without the throttle, hundreds of MB/s) does not depend on the machine's disk or on other tests using it: the
 * throttle alone makes it slow. Needs root, `losetup`, `mkfs.ext4` and a cgroup controller that throttles writes
 * (cgroup v2 `io`, or cgroup v1 `blkio`); check `SLOW_DISK_UNAVAILABLE` first.
 */
export interface SlowDisk {
  /** The mounted slow file system (a folder). */
  readonly disk: string
  /** A fresh empty folder on the ordinary disk, beside the slow one (for the lanes that stay fast). */
  readonly fast: string
  /** The command that runs `command` in the throttled cgroup: only that process and its threads are slowed. */
  throttled(command: readonly string[]): string[]
}

/** Undo steps of everything made by this test file, run newest first once it has run (even when tests failed). */
const undo: Array<{ what: string; run: () => void }> = []
afterAll(() => {
  const failures = undoAll()
  if (failures.length > 0) throw new Error(`slow disk: could not undo:\n${failures.join('\n')}`)
})

/** Image size of a slow disk; sparse on its tmpfs, so only what is written takes memory. */
const IMAGE_BYTES = 256 * 2 ** 20
/** Where cgroup v2 lives; v1's `blkio` hierarchy is below it when v2 is not the unified mount. */
const CGROUP_ROOT = '/sys/fs/cgroup'
let made = 0

/**
 * Why a slow disk cannot be made here (not root, no loop devices, no cgroup write throttle), or undefined when it
 * can: the tests on a slow disk skip with this as their message. Found by making one and undoing it.
 */
export const SLOW_DISK_UNAVAILABLE: string | undefined = probe()

/**
 * Makes a fresh slow disk whose writes, from a process started through `throttled()`, go at `bytesPerSecond`;
 * unmounted, detached and removed with its cgroup after the test file has run.
 *
 * @example
 * const slow = mountSlowDisk(4_000_000)
 * writeFileSync(join(slow.disk, 'db.log'), '')
 * writeFileSync(join(slow.fast, 'db.log'), '')
 * bindFile(join(slow.disk, 'db.log'), join(slow.fast, 'db.log'))
 * execFile(...slow.throttled([process.execPath, 'writer.mjs', slow.fast]))
 */
export function mountSlowDisk(bytesPerSecond: number): SlowDisk {
  const id = `loglanes-slowdisk-${process.pid}-${++made}`
  const base = mkdtempSync(join(tmpdir(), `${id}-`))
  step(`remove ${base}`, () => removeUnmounted(base))
  const ram = join(base, 'ram')
  const disk = join(base, 'disk')
  const fast = join(base, 'fast')
  for (const folder of [ram, disk, fast]) mkdirSync(folder)

  run('mount', ['-t', 'tmpfs', '-o', `size=${IMAGE_BYTES + 32 * 2 ** 20}`, 'tmpfs', ram])
  step(`unmount ${ram}`, () => unmount(ram))
  const image = join(ram, 'disk.img')
  writeFileSync(image, '')
  execFileSync('truncate', ['-s', String(IMAGE_BYTES), image])
  const device = run('losetup', ['--find', '--show', image]).trim()
  step(`detach ${device}`, () => run('losetup', ['--detach', device]))
  run('mkfs.ext4', ['-q', '-F', device])
  // noinit_itable: no background zeroing of inode tables by the kernel while the tests write.
  run('mount', ['-t', 'ext4', '-o', 'sync,noinit_itable', device, disk])
  step(`unmount ${disk}`, () => unmount(disk))

  const majorMinor = readFileSync(`/sys/class/block/${basename(device)}/dev`, 'utf8').trim()
  const procs = makeCgroup(id, majorMinor, bytesPerSecond)
  return {
    disk,
    fast,
    // A tiny wrapper puts its own pid in the cgroup, then becomes the command: it is throttled from its first write.
    throttled: (command) => ['/bin/sh', '-c', 'echo $$ > "$0" && exec "$@"', procs, ...command],
  }
}

/** Bind-mounts the existing file `source` on the existing file `target`; undone after the test file has run. */
export function bindFile(source: string, target: string): void {
  run('mount', ['--bind', source, target])
  step(`unmount ${target}`, () => unmount(target))
}

/** Makes the throttled cgroup (v2 `io.max` when v2 has `io`, else v1 `blkio`); returns its `cgroup.procs`. */
function makeCgroup(id: string, majorMinor: string, bytesPerSecond: number): string {
  const rate = String(Math.round(bytesPerSecond))
  const v2Controllers = join(CGROUP_ROOT, 'cgroup.controllers')
  if (existsSync(v2Controllers) && readFileSync(v2Controllers, 'utf8').split(/\s+/).includes('io')) {
    const subtree = join(CGROUP_ROOT, 'cgroup.subtree_control')
    if (!readFileSync(subtree, 'utf8').split(/\s+/).includes('io')) {
      writeFileSync(subtree, '+io')
      step('disable the io controller enabled for the slow disk', () => {
        // Another user of it since then keeps it enabled: leaving it is harmless.
        try {
          writeFileSync(subtree, '-io')
        } catch {}
      })
    }
    const group = join(CGROUP_ROOT, id)
    mkdirSync(group)
    step(`remove cgroup ${group}`, () => removeCgroup(group))
    writeFileSync(join(group, 'io.max'), `${majorMinor} wbps=${rate}`)
    return join(group, 'cgroup.procs')
  }
  const blkio = join(CGROUP_ROOT, 'blkio')
  if (!existsSync(join(blkio, 'blkio.throttle.write_bps_device'))) {
    throw new Error(
      `no cgroup to throttle writes: neither v2 with io in ${v2Controllers} nor v1 blkio at ${blkio}`,
    )
  }
  const group = join(blkio, id)
  mkdirSync(group)
  step(`remove cgroup ${group}`, () => removeCgroup(group))
  writeFileSync(join(group, 'blkio.throttle.write_bps_device'), `${majorMinor} ${rate}`)
  return join(group, 'cgroup.procs')
}

/** Ends what is left in a cgroup (only processes this test file started through it), then removes it. */
function removeCgroup(group: string): void {
  for (let attempt = 0; ; attempt++) {
    const pids = readFileSync(join(group, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number)
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {}
    }
    try {
      rmdirSync(group)
      return
    } catch (error) {
      // A process just killed leaves its cgroup a moment later.
      if ((error as NodeJS.ErrnoException).code !== 'EBUSY' || attempt === 50) throw error
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20)
    }
  }
}

function unmount(target: string): void {
  try {
    run('umount', [target])
  } catch {
    // Still busy: detach it now, the kernel frees it when its last user goes.
    run('umount', ['--lazy', target])
  }
}

/** Removes `base` only when nothing is mounted under it any more: never deletes inside a mounted file system. */
function removeUnmounted(base: string): void {
  const mounted = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((point) => point === base || point.startsWith(`${base}/`))
  if (mounted.length > 0) throw new Error(`still mounted: ${mounted.join(', ')}`)
  rmSync(base, { recursive: true, force: true })
}

function step(what: string, run: () => void): void {
  undo.push({ what, run })
}

/** Runs every undo step, newest first, each even when an earlier one failed; returns the failures. */
function undoAll(): string[] {
  const failures: string[] = []
  for (const { what, run } of undo.splice(0).reverse()) {
    try {
      run()
    } catch (error) {
      failures.push(`${what}: ${errorText(error)}`)
    }
  }
  return failures
}

function run(command: string, args: readonly string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

function errorText(error: unknown): string {
  return String((error as { stderr?: unknown }).stderr || (error as Error).message || error).trim()
}

function probe(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root: a loop device, a mount and a cgroup need root'
  try {
    mountSlowDisk(1_000_000)
    return undefined
  } catch (error) {
    return `cannot make a throttled slow disk: ${errorText(error)}`
  } finally {
    const failures = undoAll()
    if (failures.length > 0) console.warn(`slow disk probe: could not undo:\n${failures.join('\n')}`)
  }
}
