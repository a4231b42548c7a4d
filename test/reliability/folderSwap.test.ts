// The folder descriptor a router keeps per interval folder: a folder renamed away while its lanes write, and a link
// put in its place, never lead a record through the link.
import { execFileSync } from 'node:child_process'
import { lstatSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type LaneErrorEvent, LaneRouter, resolveOptions } from '@loglanes/core'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../support/files.js'

const T = Date.UTC(2026, 10, 20, 13, 30)
const FOLDER = '2026-11-20__13-00'

describe('an interval folder swapped for a link while its lanes write', () => {
  it.each([2, 256])(
    'maxOpenFiles %i: records go on into the real folder, renamed away, and nothing into the link target',
    async (maxOpenFiles) => {
      const dir = tempDir()
      const victim = tempDir()
      const lanes = ['l0', 'l1', 'l2', 'l3']
      const options = { dir, timezone: 'UTC', domains: lanes, levelFiles: false as const, interval: '1h' }
      const router = new LaneRouter(resolveOptions({ ...options, maxOpenFiles }, { levels: { info: 30 } }), {
        stderr: false,
      })
      for (const lane of lanes) router.route(T, 'info', lane, `{"n":1,"lane":"${lane}"}\n`)
      await router.flush()
      renameSync(join(dir, FOLDER), join(dir, 'moved'))
      symlinkSync(victim, join(dir, FOLDER))
      // With maxOpenFiles 2, two lanes reopen their files: through the folder's descriptor, not its path.
      for (const lane of lanes) router.route(T, 'info', lane, `{"n":2,"lane":"${lane}"}\n`)
      await router.close()
      expect(readdirSync(victim)).toEqual([])
      for (const lane of lanes) {
        expect(readFileSync(join(dir, 'moved', `${lane}.log`), 'utf8')).toBe(
          `{"n":1,"lane":"${lane}"}\n{"n":2,"lane":"${lane}"}\n`,
        )
      }
    },
  )
})

// The folder's descriptor is kept, but its folder deleted (a cleanup job) and something else planted at its path
// before the next batch: the lane must not write through it, nor make its files again anywhere else.
describe('an interval folder deleted while its lanes write, something else planted at its path', () => {
  const plants: [string, (path: string, victim: string) => void, string][] = [
    ['a plain file', (path) => writeFileSync(path, 'planted\n'), 'a file'],
    ['a FIFO', (path) => execFileSync('mkfifo', [path]), 'a FIFO'],
    ['a link to another folder', (path, victim) => symlinkSync(victim, path), 'a symbolic link'],
  ]
  it.each(plants)(
    '%s: the lane fails, reported once; nothing written through it; every record once it is gone',
    async (_what, plant, kind) => {
      const dir = tempDir()
      const victim = tempDir()
      const options = { dir, timezone: 'UTC', domains: ['app'], levelFiles: false as const, interval: '1h' }
      const router = new LaneRouter(resolveOptions(options, { levels: { info: 30 } }), { stderr: false })
      const errors: LaneErrorEvent[] = []
      router.on('laneError', (event) => errors.push(event))
      router.route(T, 'info', 'app', '{"n":1}\n')
      await router.flush()
      const folder = join(dir, FOLDER)
      rmSync(folder, { recursive: true })
      plant(folder, victim)
      const planted = lstatSync(folder)
      router.route(T, 'info', 'app', '{"n":2}\n')
      await router.flush()
      expect(errors.map(({ lane, error }) => [lane, error.message.includes(kind)])).toEqual([['app', true]])
      // Left as it was, and nothing written through it.
      expect(lstatSync(folder)).toMatchObject({ ino: planted.ino, size: planted.size })
      expect(readdirSync(victim)).toEqual([])
      // Once it is removed, the lane makes its folder again and writes the record it kept.
      rmSync(folder)
      router.route(T, 'info', 'app', '{"n":3}\n')
      await router.close()
      expect(readFileSync(join(folder, 'app.log'), 'utf8')).toBe('{"n":2}\n{"n":3}\n')
    },
  )
})
