import { execFile } from 'node:child_process'
import { mkdirSync, readdirSync, readlinkSync, realpathSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { type LaneErrorEvent, LaneRouter, pointLink, resolveOptions } from '@loglanes/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { tempDir } from '../support/files.js'
import { HOUR, utcFolder } from '../support/maintenance.js'

const run = promisify(execFile)
const HAMMER = join(import.meta.dirname, 'fixtures/linkHammer.mjs')

describe('pointLink', () => {
  it('makes a relative link, replaces it, and leaves it when it already points right', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, '2026-11-20__13-00'))
    expect(await pointLink(dir, 'current', '2026-11-20__13-00')).toBe(true)
    expect(readlinkSync(join(dir, 'current'))).toBe('2026-11-20__13-00')
    expect(realpathSync(join(dir, 'current'))).toBe(realpathSync(join(dir, '2026-11-20__13-00')))
    expect(await pointLink(dir, 'current', '2026-11-20__13-00')).toBe(false)
    // The next folder need not exist yet.
    expect(await pointLink(dir, 'current', '2026-11-20__14-00')).toBe(true)
    expect(readlinkSync(join(dir, 'current'))).toBe('2026-11-20__14-00')
    expect(readdirSync(dir).sort()).toEqual(['2026-11-20__13-00', 'current'])
  })

  it('never fails when many callers replace it at once, and leaves no temporary link', async () => {
    const dir = tempDir()
    const targets = Array.from({ length: 60 }, (_, n) => `2026-11-20__${String(n % 24).padStart(2, '0')}-00`)
    await Promise.all(targets.map((target) => pointLink(dir, 'current', target)))
    expect(targets).toContain(readlinkSync(join(dir, 'current')))
    // Four processes at once, 300 replacements each.
    await Promise.all([0, 1, 2, 3].map((id) => run(process.execPath, [HAMMER, dir, String(id), '300'])))
    expect(readlinkSync(join(dir, 'current'))).toMatch(/^2026-11-20__1\d-00$/)
    expect(readdirSync(dir)).toEqual(['current'])
  })

  it('leaves a file or folder of that name that is not a link alone', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'current'))
    await expect(pointLink(dir, 'current', '2026-11-20__13-00')).rejects.toMatchObject({ code: 'EEXIST' })
    expect(readdirSync(join(dir, 'current'))).toEqual([])
    expect(readdirSync(dir)).toEqual(['current'])
  })
})

describe('the current link through the router', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('always resolves to the newest folder, across rollovers and a restart', async () => {
    // The clock moves with the records: a record further ahead of it than MAX_CLOCK_SKEW_MS moves no link.
    vi.useFakeTimers({ toFake: ['Date'] })
    const dir = tempDir()
    const options = resolveOptions({ dir, interval: '1h', timezone: 'UTC', levelFiles: false, symlink: true })
    const now = Date.now()
    const r = new LaneRouter(options, { stderr: false })
    await r.whenMaintained()
    // Before any record: the interval of now (its folder does not exist yet).
    expect(readlinkSync(join(dir, 'current'))).toBe(utcFolder(now, 60))
    for (let k = 0; k < 6; k++) {
      const start = Math.floor(now / HOUR) * HOUR + k * HOUR
      vi.setSystemTime(Math.max(now, start + 1))
      r.route(start + 1, 'info', 'app', '{"msg":"tick"}\n')
      await r.flush()
      await r.whenMaintained()
      expect(realpathSync(join(dir, 'current'))).toBe(realpathSync(join(dir, utcFolder(start, 60))))
      // A late record for an older interval is not a rollover.
      r.route(start - HOUR, 'info', 'app', '{"msg":"late"}\n')
      await r.flush()
      await r.whenMaintained()
      expect(readlinkSync(join(dir, 'current'))).toBe(utcFolder(start, 60))
    }
    await r.close()
    // Another process's link is replaced by a new one, and a named link works the same.
    const again = new LaneRouter(
      resolveOptions({ dir, interval: '1h', timezone: 'UTC', symlink: 'latest' }),
      {
        stderr: false,
      },
    )
    vi.setSystemTime(now + 10 * HOUR)
    again.route(now + 10 * HOUR, 'info', 'app', '{"msg":"tick"}\n')
    await again.close()
    expect(realpathSync(join(dir, 'latest'))).toBe(realpathSync(join(dir, utcFolder(now + 10 * HOUR, 60))))
  })

  it('reports a name taken by a folder once, as an event and one stderr line, and keeps routing', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'current'))
    const written: string[] = []
    const original = process.stderr.write.bind(process.stderr)
    process.stderr.write = ((chunk: string) => {
      written.push(String(chunk))
      return true
    }) as typeof process.stderr.write
    try {
      const r = new LaneRouter(resolveOptions({ dir, interval: '1h', timezone: 'UTC', symlink: true }))
      const events: unknown[] = []
      const laneErrors: LaneErrorEvent[] = []
      r.on('maintenanceError', (event) => events.push(event))
      r.on('laneError', (event) => laneErrors.push(event))
      for (let k = 0; k < 4; k++) {
        r.route(Date.now() + k * HOUR, 'info', 'app', '{"msg":"tick"}\n')
        await r.flush()
        await r.whenMaintained()
      }
      await r.close()
      expect(events).toHaveLength(1)
      expect(events[0]).toMatchObject({ step: 'link', path: join(dir, 'current'), error: { code: 'EEXIST' } })
      expect(laneErrors).toEqual([])
    } finally {
      process.stderr.write = original
    }
    expect(written).toHaveLength(1)
    expect(written[0]).toMatch(
      /^loglanes: cannot point the link .*current: .* exists and is not a symbolic link; it is left alone; retried on a later pass\n$/,
    )
    expect(readdirSync(join(dir, 'current'))).toEqual([])
  })
})
