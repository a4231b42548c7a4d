// Hostile environment: logs carry sensitive data, so other users of the machine must not read them. Lane files are
// created 0o640 and folders 0o750 by default, `fileMode` and `dirMode` change that, and what maintenance makes (a
// gzip archive, the lock, the link) is never more open than the files it comes from. Modes are given to open(2) and
// mkdir(2), so the process umask applies on top, as for any file the process creates.
import { chmodSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import {
  acquireMaintenanceLock,
  LaneRouter,
  MAINTENANCE_LOCK_NAME,
  resolveOptions,
  runMaintenance,
} from '@loglanes/core'
import { endLogger as endWinston, LanesTransport } from '@loglanes/winston'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import winston from 'winston'
import { listFiles, tempDir } from '../support/files.js'
import { endLogger, timedLogger } from '../support/pinoLogger.js'
import { figure } from './confinement.js'

const T0 = Date.UTC(2026, 10, 20, 13, 30)
const DAY_MS = 86_400_000

const modeOf = (path: string) => statSync(path).mode & 0o777
/** What open(2) and mkdir(2) make of a requested mode under the process umask. */
const underUmask = (mode: number) => mode & ~process.umask()

/** The mode of every file and folder under `root` (`root` itself excluded), by relative path. */
function modesUnder(root: string): Record<string, number> {
  const out: Record<string, number> = {}
  const walk = (folder: string, prefix: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name)
      out[`${prefix}${entry.name}`] = lstatSync(path).mode & 0o777
      if (entry.isDirectory()) walk(path, `${prefix}${entry.name}/`)
    }
  }
  walk(root, '')
  return out
}

async function pinoLanes(dir: string, options: Record<string, unknown> = {}): Promise<void> {
  const logger = timedLogger(
    {
      transport: { target: '@loglanes/pino', options: { dir, timezone: 'UTC', interval: '1h', ...options } },
    },
    () => T0,
  )
  logger.child({ domain: 'app' }).error('secret')
  await endLogger(logger)
}

async function winstonLanes(dir: string, options: Record<string, unknown> = {}): Promise<void> {
  const logger = winston.createLogger({
    format: winston.format.combine(
      winston.format.timestamp({ format: () => new Date(T0).toISOString() }),
      winston.format.json(),
    ),
    transports: [new LanesTransport({ dir, timezone: 'UTC', interval: '1h', ...options })],
  })
  logger.error('secret')
  await endWinston(logger)
}

const BACKENDS = { pino: pinoLanes, winston: winstonLanes } as const

let umask: number

// The usual umask, whatever the one this runs under: the exact modes below assume it.
beforeAll(() => {
  umask = process.umask(0o022)
})

afterAll(() => {
  process.umask(umask)
})

describe('file and folder modes', () => {
  for (const [name, write] of Object.entries(BACKENDS)) {
    it(`${name}: files 0o640 and folders 0o750 by default, dir and its missing parents included`, async () => {
      const root = tempDir()
      await write(join(root, 'a/b/logs'))
      const modes = modesUnder(root)
      expect(modes).toEqual({
        a: 0o750,
        'a/b': 0o750,
        'a/b/logs': 0o750,
        'a/b/logs/2026-11-20__13-00': 0o750,
        'a/b/logs/2026-11-20__13-00/app.log': 0o640,
        'a/b/logs/2026-11-20__13-00/error.log': 0o640,
      })
      // Nothing readable, writable or searchable by others.
      for (const mode of Object.values(modes)) expect(mode & 0o007).toBe(0)
      figure(`file modes: ${name} defaults`, { files: 2, folders: 4, worldReadable: 0 })
    })

    it(`${name}: fileMode and dirMode change them, within the umask`, async () => {
      for (const [fileMode, dirMode] of [
        [0o600, 0o700],
        [0o660, 0o770],
        [0o644, 0o755],
      ] as const) {
        const root = tempDir()
        const dir = join(root, 'logs')
        await write(dir, { fileMode, dirMode })
        expect(modeOf(dir)).toBe(underUmask(dirMode))
        expect(modeOf(join(dir, '2026-11-20__13-00'))).toBe(underUmask(dirMode))
        expect(modeOf(join(dir, '2026-11-20__13-00/app.log'))).toBe(underUmask(fileMode))
      }
    })
  }

  it('an existing dir keeps its mode; what loglanes creates in it has its own', async () => {
    const root = tempDir()
    await pinoLanes(root, { dirMode: 0o700 })
    expect(modeOf(root)).toBe(0o700) // mkdtemp's own mode
    expect(modeOf(join(root, '2026-11-20__13-00'))).toBe(0o700)
  })

  it('gzip archives are 0o640 by default, never more open than the file they hold, and never world-readable', async () => {
    const cases = [
      { options: {}, chmod: undefined, expected: 0o640 },
      { options: { fileMode: 0o600 }, chmod: undefined, expected: 0o600 },
      // A file made stricter by hand stays as strict once compressed.
      { options: {}, chmod: 0o600, expected: 0o600 },
    ] as const
    for (const { options, chmod, expected } of cases) {
      const dir = tempDir()
      const resolved = resolveOptions(
        { dir, timezone: 'UTC', interval: '1h', compress: 'gzip', symlink: true, ...options },
        { levels: { info: 30, error: 50 } },
      )
      const router = new LaneRouter(resolved, { stderr: false })
      router.route(T0, 'error', 'app', '{"msg":"secret"}\n')
      await router.close()
      const folder = join(dir, '2026-11-20__13-00')
      if (chmod !== undefined) {
        for (const file of readdirSync(folder)) chmodSync(join(folder, file), chmod)
      }
      const errors: unknown[] = []
      const result = await runMaintenance(resolved, {
        now: Date.now() + 2 * DAY_MS,
        quietMs: 0,
        onError: (event) => errors.push(event),
      })
      expect(errors).toEqual([])
      expect([...result.compressed].sort()).toEqual([
        '2026-11-20__13-00/app.log.gz',
        '2026-11-20__13-00/error.log.gz',
      ])
      for (const file of ['app.log.gz', 'error.log.gz']) expect(modeOf(join(folder, file))).toBe(expected)
      expect(listFiles(folder)).toEqual(['app.log.gz', 'error.log.gz'])
    }
    figure('file modes: gzip archives', { archives: 6, worldReadable: 0 })
  })

  it('the maintenance lock holds no log data and is not writable by others; the link is a link', async () => {
    const dir = tempDir()
    const lock = await acquireMaintenanceLock(dir)
    expect(lock).toBeDefined()
    const path = join(dir, MAINTENANCE_LOCK_NAME)
    expect(modeOf(path) & 0o022).toBe(0)
    expect(Object.keys(JSON.parse(readFileSync(path, 'utf8'))).sort()).toEqual([
      'host',
      'pid',
      'time',
      'token',
    ])
    await lock!.release()

    const router = new LaneRouter(
      resolveOptions({ dir, timezone: 'UTC', interval: '1h', symlink: true }, { levels: { info: 30 } }),
      { stderr: false },
    )
    router.route(Date.now(), 'info', 'app', '{"msg":"secret"}\n')
    await router.flush()
    await router.whenMaintained()
    await router.close()
    expect(lstatSync(join(dir, 'current')).isSymbolicLink()).toBe(true)
    // The link's target is a folder of dirMode.
    expect(modeOf(join(dir, 'current'))).toBe(0o750)
  })
})
