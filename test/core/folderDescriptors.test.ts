// The router keeps a descriptor of each interval folder it writes in, so that a lane closed by maxOpenFiles reopens
// with one open(2). Records whose times spread over many intervals (a winston `timestamp` the app sets, a backlog
// replayed) must not turn that into one descriptor per folder: the application's own open() and listen() would
// meet EMFILE, which is what maxOpenFiles is there to prevent.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setImmediate as turn } from 'node:timers/promises'
import { LaneRouter, resolveOptions } from '@loglanes/core'
import { describe, expect, it } from 'vitest'
import { openFilesUnder, tempDir } from '../support/files.js'

const HOUR = 3_600_000

/** The hour folder's name of `time`, as `interval: '1h'` in UTC names it. */
function hourFolder(time: number): string {
  const iso = new Date(time).toISOString()
  return `${iso.slice(0, 10)}__${iso.slice(11, 13)}-00`
}

describe('folder descriptors are bounded like lane files', () => {
  it('records over 400 past hours: at most maxOpenFiles lane files and 16 folders open at once, every record in its folder', async () => {
    const dir = tempDir()
    const router = new LaneRouter(
      resolveOptions(
        { dir, timezone: 'UTC', domains: ['app'], levelFiles: false, interval: '1h', maxOpenFiles: 4 },
        { levels: { info: 30 } },
      ),
      { stderr: false },
    )
    const now = Date.now()
    const times = Array.from({ length: 400 }, (_, h) => now - (h + 2) * HOUR)
    let most = 0
    for (const [h, time] of times.entries()) {
      router.route(time, 'info', 'app', `{"h":${h}}\n`)
      if (h % 20 === 19) {
        await turn()
        await turn()
        most = Math.max(most, openFilesUnder(dir).length)
      }
    }
    await router.flush()
    most = Math.max(most, openFilesUnder(dir).length)
    expect(most).toBeGreaterThan(4)
    expect(most).toBeLessThanOrEqual(4 + 16)
    // Once more in folders whose descriptors were let go: entered again by path.
    for (const [h, time] of times.entries()) router.route(time, 'info', 'app', `{"h":${h}}\n`)
    await router.close()
    expect(openFilesUnder(dir)).toEqual([])
    const folders = readdirSync(dir).filter((name) => !name.startsWith('.') && name !== 'current')
    expect(folders).toHaveLength(400)
    for (const [h, time] of times.entries()) {
      const lines = readFileSync(join(dir, hourFolder(time), 'app.log'), 'utf8')
        .split('\n')
        .filter(Boolean)
      expect(lines).toEqual([`{"h":${h}}`, `{"h":${h}}`])
    }
  })
})
