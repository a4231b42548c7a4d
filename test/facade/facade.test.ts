import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createLanes, LanesConfigError, UnknownDomainError } from 'loglanes'
import { describe, expect, it } from 'vitest'
import { lineCounts, listFiles, readLines, tempDir } from '../support/files.js'
import { terminalEnv } from '../support/terminal.js'

const run = promisify(execFile)
const FIXTURE = join(import.meta.dirname, 'fixtures/facadeProcess.mjs')
const BACKENDS = ['pino', 'winston'] as const

/** The message of a line from either backend (pino writes msg, winston message). */
function messageOf(line: string): string {
  const record = JSON.parse(line) as { msg?: string; message?: string }
  return record.msg ?? record.message ?? ''
}

/** The same calls, on any facade. */
async function logEverything(dir: string, backend: 'pino' | 'winston') {
  const log = createLanes({ dir, domains: ['app', 'db', 'redis'], backend, interval: 'none', level: 'trace' })
  log.app.info('Service starting')
  log.redis.debug('Cache size: %d', 42)
  log.app.warn({ path: '/items' }, 'slow %s took %dms', 'request', 812)
  log.db.error(new Error('timeout'), 'query failed')
  log.db.exception(new Error('refused'), 'DB connection failed')
  log.db.exception('a string was thrown')
  log.app.trace('entering')
  log.app.fatal('giving up')
  log.app.child({ reqId: 7, domain: 'db' }).info('child keeps its domain')
  log.get('redis').info({ domain: 'db' }, 'a domain field does not move the line')
  await log.shutdown()
  return log
}

describe('createLanes', () => {
  it('both backends produce the same files, with the same messages, for the same calls', async () => {
    const results = []
    for (const backend of BACKENDS) {
      const dir = tempDir()
      await logEverything(dir, backend)
      results.push({
        counts: lineCounts(dir),
        messages: Object.fromEntries(listFiles(dir).map((f) => [f, readLines(join(dir, f)).map(messageOf)])),
      })
    }
    expect(results[0]!.counts).toEqual({
      'app.log': 5,
      'db.log': 3,
      'redis.log': 2,
      'debug.log': 1,
      'info.log': 3,
      'warn.log': 1,
      'error.log': 3,
      'trace.log': 1,
      'fatal.log': 1,
    })
    expect(results[1]).toEqual(results[0])
    expect(results[0]!.messages['app.log']).toEqual([
      'Service starting',
      'slow request took 812ms',
      'entering',
      'giving up',
      'child keeps its domain',
    ])
    expect(results[0]!.messages['db.log']).toEqual([
      'query failed',
      'DB connection failed',
      'a string was thrown',
    ])
  })

  it('writes the domain under domainKey, errors with their stack, fields and child bindings', async () => {
    for (const backend of BACKENDS) {
      const dir = tempDir()
      const log = createLanes({ dir, domains: ['app', 'db'], backend, interval: 'none', domainKey: 'area' })
      log.db.child({ reqId: 7 }).exception(new Error('refused'))
      await log.shutdown()
      const record = JSON.parse(readLines(join(dir, 'db.log'))[0]!)
      expect(record).toMatchObject({ area: 'db', reqId: 7, err: { type: 'Error', message: 'refused' } })
      expect(record.err.stack).toContain('Error: refused')
      expect(messageOf(readLines(join(dir, 'error.log'))[0]!)).toBe('refused')
    }
  })

  it('debugEnabled gates debug and trace only, never info or above', async () => {
    for (const backend of BACKENDS) {
      const dir = tempDir()
      const log = createLanes({
        dir,
        domains: ['app'],
        backend,
        interval: 'none',
        level: 'trace',
        debug: false,
      })
      expect(log.debugEnabled).toBe(false)
      log.app.trace('t1')
      log.app.debug('d1')
      log.app.info('i1')
      log.app.warn('w1')
      log.app.error('e1')
      log.app.fatal('f1')
      log.debugEnabled = true
      log.app.debug('d2')
      log.app.trace('t2')
      log.debugEnabled = false
      log.app.debug('d3')
      await log.shutdown()
      expect(readLines(join(dir, 'app.log')).map(messageOf)).toEqual(['i1', 'w1', 'e1', 'f1', 'd2', 't2'])
    }
  })

  it('honours the lowest level written', async () => {
    const dir = tempDir()
    const log = createLanes({ dir, domains: ['app'], interval: 'none', level: 'warn' })
    log.app.info('dropped')
    log.app.warn('kept')
    await log.shutdown()
    expect(readLines(join(dir, 'app.log')).map(messageOf)).toEqual(['kept'])
  })

  it('get() throws UnknownDomainError listing the declared domains', () => {
    const log = createLanes({ dir: tempDir(), domains: ['app', 'db'], interval: 'none' })
    for (const name of ['nope', '__proto__', 'constructor', 'get', '']) {
      expect(() => log.get(name as 'app')).toThrow(UnknownDomainError)
    }
    expect(() => log.get('nope' as 'app')).toThrow(
      `loglanes: 'nope' is not a declared domain; declared domains: app, db`,
    )
    expect(log.get('db')).toBe(log.db)
    return log.shutdown()
  })

  it('rejects invalid options and domains that shadow facade members with LanesConfigError', () => {
    const cases: [unknown, string][] = [
      [{ domains: ['app', 'get'] }, `loglanes: option "domains" must not shadow a member of the facade`],
      [{ domains: ['shutdown'] }, `got 'shutdown'`],
      [
        { domains: ['app'], backend: 'bunyan' },
        `loglanes: option "backend" must be 'pino' or 'winston'; got 'bunyan'`,
      ],
      [
        { domains: ['app'], level: 'verbose' },
        `loglanes: option "level" must be one of trace, debug, info, warn, error, fatal`,
      ],
      [{ domains: ['app'], debug: 'yes' }, `loglanes: option "debug" must be true or false; got 'yes'`],
      [
        { domains: ['app'], console: 'stdout' },
        `loglanes: option "console" must be true, false or { level }`,
      ],
      [{ domains: ['app'], console: { level: 'loud' } }, `loglanes: option "console.level" must be one of`],
      [{ domains: ['app'], backned: 'pino' }, `(did you mean "backend"?)`],
      [{ domains: ['app'], interval: '7m' }, `option "interval" must divide a day evenly`],
      [{ domains: ['app', 'error'] }, `clashes with level "error"`],
    ]
    for (const [options, message] of cases) {
      expect(() => createLanes(options as never)).toThrow(LanesConfigError)
      expect(() => createLanes(options as never)).toThrow(message)
    }
  })

  it('shutdown is idempotent; later calls never throw and warn once', async () => {
    for (const backend of BACKENDS) {
      const dir = tempDir()
      const warnings: string[] = []
      const onWarning = (warning: Error & { code?: string }) => {
        if (warning.code === 'LOGLANES_AFTER_SHUTDOWN') warnings.push(warning.message)
      }
      process.on('warning', onWarning)
      const log = createLanes({ dir, domains: ['app'], backend, interval: 'none' })
      log.app.info('before')
      const first = log.shutdown()
      expect(log.shutdown()).toBe(first)
      await first
      await log.shutdown()
      expect(() => log.app.info('after 1')).not.toThrow()
      expect(() => log.app.child({ a: 1 }).error('after 2')).not.toThrow()
      await log.flush()
      await new Promise((resolve) => setImmediate(resolve))
      process.off('warning', onWarning)
      expect(warnings).toHaveLength(1)
      expect(readLines(join(dir, 'app.log')).map(messageOf)).toEqual(['before'])
    }
  })

  it('flush() resolves once the lines are in their files', async () => {
    for (const backend of BACKENDS) {
      const dir = tempDir()
      const log = createLanes({ dir, domains: ['app'], backend, interval: 'none', levelFiles: false })
      for (let n = 0; n < 2000; n++) log.app.info({ n }, 'record')
      await log.flush()
      expect(readLines(join(dir, 'app.log'))).toHaveLength(2000)
      await log.shutdown()
    }
  })

  it('keeps two facades in one process fully independent', async () => {
    const [a, b] = [tempDir(), tempDir()]
    const one = createLanes({ dir: a, domains: ['app', 'db'], interval: 'none', levelFiles: false })
    const two = createLanes({
      dir: b,
      domains: ['app', 'web'],
      interval: 'none',
      levelFiles: false,
      backend: 'winston',
    })
    one.debugEnabled = false
    one.app.debug('gated in one')
    two.app.debug('kept in two')
    one.db.info('one')
    two.web.info('two')
    await Promise.all([one.shutdown(), two.shutdown()])
    expect(lineCounts(a)).toEqual({ 'db.log': 1 })
    expect(lineCounts(b)).toEqual({ 'app.log': 1, 'web.log': 1 })
    expect(two.debugEnabled).toBe(true)
  })
})

describe('createLanes: level lanes on both backends', () => {
  it.each(BACKENDS)('%s: mirrors to and from level lanes (error -> alerts, db -> error)', async (backend) => {
    const dir = tempDir()
    const log = createLanes({
      dir,
      domains: ['app', 'db'],
      backend,
      interval: 'none',
      lanes: ['alerts'],
      mirrors: { error: ['alerts'], db: ['error'] },
    })
    for (let n = 0; n < 200; n++) (n % 2 ? log.db : log.app)[n % 4 < 2 ? 'error' : 'info']({ n }, 'r')
    await log.shutdown()
    // 100 errors, 100 db records of which 50 are errors: error.log gets 150, each once.
    expect(lineCounts(dir)).toEqual({
      'app.log': 100,
      'db.log': 100,
      'error.log': 150,
      'info.log': 100,
      'alerts.log': 100,
    })
  })

  it.each(BACKENDS)(
    "%s: levelFiles { mode: 'threshold', levels: ['warn'] } and a domain named debug",
    async (backend) => {
      const dir = tempDir()
      const log = createLanes({
        dir,
        domains: ['app', 'debug'],
        backend,
        level: 'trace',
        interval: 'none',
        levelFiles: { mode: 'threshold', levels: ['warn'] },
      })
      const levels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const
      for (let n = 0; n < 600; n++) (n % 2 ? log.debug : log.app)[levels[n % 6]!]({ n }, 'r')
      await log.shutdown()
      expect(lineCounts(dir)).toEqual({ 'app.log': 300, 'debug.log': 300, 'warn.log': 300 })
    },
  )
})

describe('createLanes in child processes', () => {
  it('4 processes x 25,000 records into one dir: every line present once and whole', async () => {
    const dir = tempDir()
    await Promise.all(
      [0, 1, 2, 3].map((id) =>
        run(process.execPath, [FIXTURE, dir, 'shutdown', id % 2 ? 'winston' : 'pino', '25000', String(id)], {
          maxBuffer: 1 << 24,
        }),
      ),
    )
    const seen = new Set<string>()
    let lines = 0
    for (const file of ['app.log', 'db.log', 'http.log']) {
      for (const text of readLines(join(dir, file))) {
        const record = JSON.parse(text) as { id: number; n: number; pad: string }
        expect(record.pad.length).toBe(record.n % 100 === 0 ? 6000 : record.n % 50)
        seen.add(`${record.id}:${record.n}`)
        lines++
      }
    }
    expect(lines).toBe(100_000)
    expect(seen.size).toBe(100_000)
    expect(lineCounts(dir)['info.log']).toBe(100_000)
  }, 120_000)

  it('writes every line when the process ends without shutdown()', async () => {
    for (const backend of BACKENDS) {
      const dir = tempDir()
      await run(process.execPath, [FIXTURE, dir, 'exit', backend, '20000'])
      expect(lineCounts(dir)).toEqual({
        'app.log': 6667,
        'db.log': 6667,
        'http.log': 6666,
        'info.log': 20000,
      })
    }
  }, 60_000)

  it('colors the console by level on a pseudo-TTY, plainly when piped or with NO_COLOR, and never in files', async () => {
    for (const backend of BACKENDS) {
      const dir = tempDir()
      const command = `${process.execPath} ${FIXTURE} ${dir} console ${backend}`
      // `script` runs the command on a pseudo-terminal.
      const tty = await run('script', ['-qec', command, '/dev/null'], { env: terminalEnv() })
      expect(tty.stdout).toContain('\u001b[3')
      // debug blue (34), info green (32), warn yellow (33), error red (31), fatal magenta (35)
      for (const [level, code] of [
        ['debug', 34],
        ['info', 32],
        ['warn', 33],
        ['error', 31],
        ['fatal', 35],
      ] as const) {
        // The level label sits inside its color: ESC [ <code> m ... LEVEL
        const colored = tty.stdout
          .split('\u001b[')
          .some((part) => part.startsWith(`${code}m`) && part.toLowerCase().includes(level))
        expect(colored).toBe(true)
      }
      const noColor = await run('script', ['-qec', command, '/dev/null'], {
        env: terminalEnv({ NO_COLOR: '1' }),
      })
      expect(noColor.stdout).toContain('info line')
      expect(noColor.stdout).not.toContain('\u001b[3')
      const piped = await run(process.execPath, [FIXTURE, tempDir(), 'console', backend], {
        env: terminalEnv(),
      })
      expect(piped.stdout).toContain('info line')
      expect(piped.stdout).not.toContain('\u001b[')
      for (const file of listFiles(dir)) expect(readLines(join(dir, file)).join('\n')).not.toContain('\u001b')
    }
  }, 60_000)
})
