// The folder descriptor a router keeps per interval folder: a folder renamed away while its lanes write, and a link
// put in its place, never lead a record through the link.
import { readdirSync, readFileSync, renameSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { LaneRouter, resolveOptions } from '@loglanes/core'
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
