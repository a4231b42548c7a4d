import { resolve } from 'node:path'
import { LanesConfigError, resolveOptions } from '@loglanes/core'
import { describe, expect, it } from 'vitest'

const PINO_LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 }

function configError(input: unknown, context = { levels: PINO_LEVELS }): LanesConfigError {
  try {
    resolveOptions(input, context)
  } catch (error) {
    expect(error).toBeInstanceOf(LanesConfigError)
    return error as LanesConfigError
  }
  throw new Error(`expected a LanesConfigError for ${JSON.stringify(input)}`)
}

describe('resolveOptions defaults', () => {
  it('applies every default of DESIGN.md', () => {
    const options = resolveOptions({}, { levels: PINO_LEVELS })
    expect(options.dir).toBe(resolve('logs'))
    expect(options.domains).toEqual(['app'])
    expect(options.domainKey).toBe('domain')
    expect(options.defaultDomain).toBe('app')
    expect(options.levelFiles).toBe('exact')
    expect([...options.levels]).toEqual(Object.entries(PINO_LEVELS))
    expect(options.interval).toBe('24h')
    expect(options.intervalMinutes).toBe(1440)
    expect(options.timezone).toBe('local')
    expect(options.mirrors.size).toBe(0)
    expect(options.lanes).toEqual([])
    expect(options.format).toBe('json')
    expect(options.timestampFormat).toBe('%Y-%m-%dT%H:%M:%S.%L%:z')
    expect(options.retention).toBeUndefined()
    expect(options.compress).toBe(false)
    expect(options.symlink).toBe(false)
    expect(options.fileMode).toBe(0o640)
    expect(options.dirMode).toBe(0o750)
  })

  it('resolves a full set of options', () => {
    const options = resolveOptions(
      {
        dir: '/var/log/svc',
        domains: ['app', 'db', 'http'],
        domainKey: 'area',
        defaultDomain: 'db',
        levelFiles: 'threshold',
        customLevels: { audit: 35 },
        interval: '15m',
        timezone: 'Europe/Berlin',
        mirrors: { error: ['alerts'], db: ['app', 'db'] },
        lanes: ['alerts'],
        format: 'text',
        timestampFormat: '%H:%M:%S.%f',
        retention: { keep: 3, maxAge: '7d' },
        compress: 'gzip',
        symlink: 'latest',
        fileMode: 0o600,
        dirMode: 0o700,
      },
      { levels: PINO_LEVELS },
    )
    expect(options.dir).toBe('/var/log/svc')
    expect(options.defaultDomain).toBe('db')
    expect(options.levels.get('audit')).toBe(35)
    expect(options.intervalMinutes).toBe(15)
    expect(options.mirrors.get('error')).toEqual(['alerts'])
    expect(options.retention).toEqual({
      keep: 3,
      maxAgeMs: 7 * 86_400_000,
      maxTotalSize: undefined,
      laneMaxAgeMs: new Map(),
    })
    expect(options.symlink).toBe('latest')
    expect(resolveOptions({ symlink: true }).symlink).toBe('current')
  })

  it('accepts the keys pino adds to a single target, taking labels from its levels map', () => {
    const options = resolveOptions(
      { $context: { pid: 1 }, pinoWillSendConfig: true, levels: { audit: 35, notice: 33 } },
      { levels: PINO_LEVELS },
    )
    expect(options.levels.get('audit')).toBe(35)
    expect(options.levels.get('notice')).toBe(33)
    expect(options.levels.get('info')).toBe(30)
  })

  it('accepts option names the entry point declares as its own', () => {
    expect(() => resolveOptions({ backend: 'pino' }, { extraOptions: ['backend'] })).not.toThrow()
  })

  it('accepts every interval that divides a day and none', () => {
    for (const interval of [
      '1m',
      '2m',
      '5m',
      '10m',
      '15m',
      '30m',
      '90m',
      '1h',
      '2h',
      '3h',
      '4h',
      '6h',
      '8h',
      '12h',
      '24h',
    ]) {
      expect(resolveOptions({ interval }).interval).toBe(interval)
    }
    expect(resolveOptions({ interval: 'none' }).intervalMinutes).toBeNull()
  })
})

describe('resolveOptions errors name the option, the accepted values and the value received', () => {
  const cases: [string, unknown, string][] = [
    ['not an object', 'logs', `loglanes: option "options" must be an object; got 'logs'`],
    ['an array', [], 'loglanes: option "options" must be an object; got []'],
    [
      'unknown option, with the closest one',
      { domian: ['a'] },
      `loglanes: option "domian" is not a loglanes option; got ["a"] (did you mean "domains"?)`,
    ],
    [
      'unknown option, near levelFiles',
      { levelfile: 'exact' },
      `loglanes: option "levelfile" is not a loglanes option; got 'exact' (did you mean "levelFiles"?)`,
    ],
    ['dir of a wrong type', { dir: 5 }, 'loglanes: option "dir" must be a non-empty string; got 5'],
    ['empty dir', { dir: '' }, `loglanes: option "dir" must be a non-empty string; got ''`],
    [
      'domains not an array',
      { domains: 'app' },
      `loglanes: option "domains" must be an array of names; got 'app'`,
    ],
    ['no domains', { domains: [] }, 'loglanes: option "domains" must declare at least one domain; got []'],
    [
      'a domain with a slash',
      { domains: ['app', 'a/b'] },
      `loglanes: option "domains" must be a name of a letter followed by up to 63 letters, digits, "_" or "-" (it becomes a file name); got 'a/b'`,
    ],
    [
      'a domain starting with a digit',
      { domains: ['1db'] },
      `loglanes: option "domains" must be a name of a letter followed by up to 63 letters, digits, "_" or "-" (it becomes a file name); got '1db'`,
    ],
    [
      'a domain of 65 characters',
      { domains: [`a${'b'.repeat(64)}`] },
      `loglanes: option "domains" must be a name of a letter followed by up to 63 letters, digits, "_" or "-" (it becomes a file name); got 'a${'b'.repeat(64)}'`,
    ],
    [
      'a non-string domain',
      { domains: [42] },
      'loglanes: option "domains" must be a name of a letter followed by up to 63 letters, digits, "_" or "-" (it becomes a file name); got 42',
    ],
    [
      'a duplicate domain',
      { domains: ['app', 'db', 'app'] },
      `loglanes: option "domains" must not list a name twice; got 'app'`,
    ],
    [
      'domains differing only by case',
      { domains: ['db', 'DB'] },
      `loglanes: option "domains" must not reuse a lane name: 'DB' clashes with domain "db" (domains, extra lanes and level files share one folder); got 'DB'`,
    ],
    [
      'a domain named like a level',
      { domains: ['app', 'error'] },
      `loglanes: option "domains" must not reuse a lane name: 'error' clashes with level "error" (domains, extra lanes and level files share one folder); got 'error'`,
    ],
    [
      'an extra lane named like a custom level',
      { lanes: ['audit'], customLevels: { audit: 35 } },
      `loglanes: option "lanes" must not reuse a lane name: 'audit' clashes with level "audit" (domains, extra lanes and level files share one folder); got 'audit'`,
    ],
    [
      'an extra lane named like a domain',
      { domains: ['app', 'db'], lanes: ['db'] },
      `loglanes: option "lanes" must not reuse a lane name: 'db' clashes with domain "db" (domains, extra lanes and level files share one folder); got 'db'`,
    ],
    ['domainKey empty', { domainKey: '' }, `loglanes: option "domainKey" must be a non-empty string; got ''`],
    [
      'defaultDomain undeclared',
      { domains: ['app', 'db'], defaultDomain: 'web' },
      `loglanes: option "defaultDomain" must be one of the declared domains (app, db); got 'web'`,
    ],
    [
      'levelFiles wrong',
      { levelFiles: true },
      `loglanes: option "levelFiles" must be 'exact', 'threshold', false or { mode: 'exact' | 'threshold', levels: [level, ...] }; got true`,
    ],
    [
      'levelFiles list with a bad mode',
      { levelFiles: { mode: 'all', levels: ['error'] } },
      `loglanes: option "levelFiles.mode" must be 'exact' or 'threshold'; got 'all'`,
    ],
    [
      'levelFiles list without levels',
      { levelFiles: { mode: 'exact' } },
      'loglanes: option "levelFiles.levels" must list the levels that get files; got undefined',
    ],
    [
      'levelFiles list empty',
      { levelFiles: { mode: 'exact', levels: [] } },
      'loglanes: option "levelFiles.levels" must list at least one level; got []',
    ],
    [
      'levelFiles list naming no level of the logger',
      { levelFiles: { mode: 'threshold', levels: ['eror'] } },
      `loglanes: option "levelFiles.levels" must list levels of the logger (trace, debug, info, warn, error, fatal); got 'eror' (did you mean 'error'?)`,
    ],
    [
      'levelFiles list naming a level twice',
      { levelFiles: { mode: 'exact', levels: ['info', 'info'] } },
      `loglanes: option "levelFiles.levels" must not list a name twice; got 'info'`,
    ],
    [
      'levelFiles list with an unknown key',
      { levelFiles: { mode: 'exact', levels: ['info'], only: true } },
      'loglanes: option "levelFiles.only" is not a levelFiles option (use mode and levels); got true',
    ],
    [
      'a domain named like a level names the way out',
      { domains: ['app', 'info'] },
      `loglanes: option "domains" must not reuse a lane name: 'info' clashes with level "info" (domains, extra lanes and level files share one folder); got 'info' (or give only some levels files: levelFiles: { mode: 'exact', levels: [...] } without "info")`,
    ],
    [
      'a mirror keyed by a level left out of levelFiles.levels',
      { levelFiles: { mode: 'exact', levels: ['error'] }, mirrors: { warn: ['app'] } },
      `loglanes: option "mirrors.warn" must be keyed by a domain or level lane (app, error); got 'warn'`,
    ],
    [
      'customLevels not an object',
      { customLevels: ['audit'] },
      'loglanes: option "customLevels" must be an object of { levelName: number }; got ["audit"]',
    ],
    [
      'customLevels with a bad number',
      { customLevels: { audit: 'high' } },
      `loglanes: option "customLevels.audit" must be a finite number (higher is more severe); got 'high'`,
    ],
    [
      'customLevels with a bad name',
      { customLevels: { 'my level': 35 } },
      `loglanes: option "customLevels.my level" must be a name of a letter followed by up to 63 letters, digits, "_" or "-" (it becomes a file name); got 'my level'`,
    ],
    [
      'interval that does not divide a day',
      { interval: '7m' },
      `loglanes: option "interval" must divide a day evenly (1m…24h) or be 'none'; got '7m'`,
    ],
    [
      'interval of 48h',
      { interval: '48h' },
      `loglanes: option "interval" must divide a day evenly (1m…24h) or be 'none'; got '48h'`,
    ],
    [
      'interval as a number',
      { interval: 60 },
      `loglanes: option "interval" must divide a day evenly (1m…24h) or be 'none'; got 60`,
    ],
    ['unknown time zone', { timezone: 'Mars/Olympus' }, `Mars/Olympus`],
    ['format wrong', { format: 'xml' }, `loglanes: option "format" must be 'json' or 'text'; got 'xml'`],
    ['timestampFormat with an unknown directive', { timestampFormat: '%H:%Q' }, `'%Q'`],
    [
      'mirrors not an object',
      { mirrors: ['a'] },
      'loglanes: option "mirrors" must be an object of { lane: [lane, ...] }; got ["a"]',
    ],
    [
      'mirror key that is not a lane',
      { domains: ['app', 'db'], mirrors: { web: ['app'] } },
      `loglanes: option "mirrors.web" must be keyed by a domain or level lane (app, db, trace, debug, info, warn, error, fatal); got 'web'`,
    ],
    [
      'mirror key that is an extra lane',
      { lanes: ['all'], mirrors: { all: ['app'] } },
      `loglanes: option "mirrors.all" must be keyed by a domain or level lane (app, trace, debug, info, warn, error, fatal); got 'all' ('all' is an extra lane, which only receives mirrored records and so cannot be a mirror source)`,
    ],
    [
      'mirror target that is not a lane, with the closest one',
      { lanes: ['alerts'], mirrors: { error: ['alert'] } },
      `loglanes: option "mirrors.error" must list only lanes (domains, level files or names declared in "lanes": app, trace, debug, info, warn, error, fatal, alerts); got 'alert' (did you mean 'alerts'?)`,
    ],
    [
      'mirror targets not an array',
      { mirrors: { app: 'error' } },
      `loglanes: option "mirrors.app" must be an array of lane names; got 'error'`,
    ],
    [
      'a level mirror key while level files are off',
      { levelFiles: false, mirrors: { error: ['app'] } },
      `loglanes: option "mirrors.error" must be keyed by a domain or level lane (app); got 'error'`,
    ],
    [
      'retention not an object',
      { retention: 3 },
      'loglanes: option "retention" must be an object { keep?, maxAge?, maxTotalSize?, lanes? }; got 3',
    ],
    [
      'retention empty',
      { retention: {} },
      'loglanes: option "retention" must set keep, maxAge, maxTotalSize or lanes (or several); got {}',
    ],
    [
      'retention keep zero',
      { retention: { keep: 0 } },
      'loglanes: option "retention.keep" must be an integer of at least 1; got 0',
    ],
    [
      'retention keep fractional',
      { retention: { keep: 2.5 } },
      'loglanes: option "retention.keep" must be an integer of at least 1; got 2.5',
    ],
    [
      'retention maxAge malformed',
      { retention: { maxAge: '7 days' } },
      `loglanes: option "retention.maxAge" must be a duration like '30m', '12h', '7d' or '4w'; got '7 days'`,
    ],
    [
      'retention unknown key',
      { retention: { keep: 2, max: '1d' } },
      `loglanes: option "retention.max" is not a retention option (use keep, maxAge, maxTotalSize or lanes); got '1d'`,
    ],
    [
      'retention maxTotalSize with an unknown unit',
      { retention: { maxTotalSize: '10XB' } },
      `loglanes: option "retention.maxTotalSize" must be a size: a whole number of bytes of at least 1, or a string like '512KB', '100MB' or '1GB' (1024-based); got '10XB'`,
    ],
    [
      'retention maxTotalSize negative',
      { retention: { keep: 3, maxTotalSize: -1 } },
      `loglanes: option "retention.maxTotalSize" must be a size: a whole number of bytes of at least 1, or a string like '512KB', '100MB' or '1GB' (1024-based); got -1`,
    ],
    [
      'retention without folders',
      { interval: 'none', retention: { keep: 2 } },
      `loglanes: option "retention" needs interval folders; it cannot be used with interval 'none'; got {"keep":2}`,
    ],
    ['compress wrong', { compress: 'zip' }, `loglanes: option "compress" must be false or 'gzip'; got 'zip'`],
    [
      'compress without folders',
      { interval: 'none', compress: 'gzip' },
      `loglanes: option "compress" needs interval folders to close; it cannot be used with interval 'none'; got 'gzip'`,
    ],
    [
      'symlink with a path',
      { symlink: '../current' },
      `loglanes: option "symlink" must be true, false or a link name (a letter, then letters, digits, "_" or "-"); got '../current'`,
    ],
    [
      'fileMode too large',
      { fileMode: 0o1777 },
      'loglanes: option "fileMode" must be a permission mode from 0 to 0o777 (e.g. 0o640); got 1023',
    ],
    [
      'dirMode a string',
      { dirMode: '750' },
      `loglanes: option "dirMode" must be a permission mode from 0 to 0o777 (e.g. 0o640); got '750'`,
    ],
  ]

  it.each(cases)('%s', (_name, input, expected) => {
    const error = configError(input)
    expect(error.message).toContain(expected)
    expect(error.message.startsWith('loglanes: option "')).toBe(true)
  })

  it('names the option and keeps the received value on the error', () => {
    const error = configError({ interval: '7m' })
    expect(error.name).toBe('LanesConfigError')
    expect(error.option).toBe('interval')
    expect(error.received).toBe('7m')
    expect(configError({ timezone: 'Mars/Olympus' }).option).toBe('timezone')
    expect(configError({ timestampFormat: '%Q' }).option).toBe('timestampFormat')
  })

  it('levelFiles.levels frees the other level names: an http domain beside winston-like levels', () => {
    const levels = { error: 0, warn: -1, info: -2, http: -3, verbose: -4, debug: -5, silly: -6 }
    const options = resolveOptions(
      { domains: ['app', 'http'], levelFiles: { mode: 'exact', levels: ['error', 'warn', 'info'] } },
      { levels },
    )
    expect(options.levelFiles).toBe('exact')
    expect(options.levelFileLevels).toEqual(['error', 'warn', 'info'])
    expect(() => resolveOptions({ domains: ['app', 'http'] }, { levels })).toThrow(
      `'http' clashes with level "http"`,
    )
  })

  it('levels pending (a winston transport before its logger): level names in mirrors wait, the rest is checked', () => {
    const pending = { levelsPending: true }
    const options = resolveOptions(
      {
        domains: ['app', 'db'],
        lanes: ['alerts'],
        mirrors: { error: ['alerts'], db: ['error'], crit: ['app'] },
      },
      pending,
    )
    expect([...options.mirrors]).toEqual([
      ['error', ['alerts']],
      ['db', ['error']],
      ['crit', ['app']],
    ])
    expect(() => resolveOptions({ lanes: ['alerts'], mirrors: { alerts: ['app'] } }, pending)).toThrow(
      `option "mirrors.alerts" must be keyed by a domain (app) or a level of the logger; got 'alerts'`,
    )
    expect(() => resolveOptions({ mirrors: { 'a/b': ['app'] } }, pending)).toThrow('option "mirrors.a/b"')
    expect(() => resolveOptions({ mirrors: { error: ['../x'] } }, pending)).toThrow('option "mirrors.error"')
    // The listed levels are the level lanes: mirrors are checked against them even while pending.
    expect(() =>
      resolveOptions(
        { levelFiles: { mode: 'exact', levels: ['error'] }, mirrors: { warn: ['app'] } },
        pending,
      ),
    ).toThrow('option "mirrors.warn" must be keyed by a domain or level lane (app, error)')
  })

  it('allows a level name as a domain when level files are off', () => {
    expect(
      resolveOptions({ domains: ['app', 'error'], levelFiles: false }, { levels: PINO_LEVELS }).domains,
    ).toEqual(['app', 'error'])
  })
})

describe('bounds: maxFileSize, maxHeldSize, maxOpenFiles', () => {
  it('defaults to no file size cap, 64 MiB held for failing lanes and 256 open files', () => {
    const options = resolveOptions({}, { levels: PINO_LEVELS })
    expect(options.maxFileSize).toBeUndefined()
    expect(options.maxHeldSize).toBe(64 * 1024 * 1024)
    expect(options.maxOpenFiles).toBe(256)
  })

  it('reads sizes as bytes or 1024-based strings', () => {
    const options = resolveOptions(
      { maxFileSize: '100MB', maxHeldSize: '1gb', maxOpenFiles: 32 },
      { levels: PINO_LEVELS },
    )
    expect(options.maxFileSize).toBe(100 * 1024 * 1024)
    expect(options.maxHeldSize).toBe(1024 ** 3)
    expect(options.maxOpenFiles).toBe(32)
    expect(resolveOptions({ maxFileSize: 4096 }, { levels: PINO_LEVELS }).maxFileSize).toBe(4096)
  })

  it.each([
    [{ maxFileSize: '10XB' }, 'maxFileSize', "got '10XB'"],
    [{ maxFileSize: -1 }, 'maxFileSize', 'got -1'],
    [{ maxFileSize: '1.5GB' }, 'maxFileSize', "got '1.5GB'"],
    [{ maxHeldSize: 0 }, 'maxHeldSize', 'got 0'],
    [{ maxHeldSize: '64 MB' }, 'maxHeldSize', "got '64 MB'"],
    [{ maxOpenFiles: 0 }, 'maxOpenFiles', 'got 0'],
    [{ maxOpenFiles: 2.5 }, 'maxOpenFiles', 'got 2.5'],
    [{ maxOpenFiles: '256' }, 'maxOpenFiles', "got '256'"],
  ])('%j is a LanesConfigError naming %s', (input, option, got) => {
    const error = configError(input)
    expect(error.option).toBe(option)
    expect(error.message).toContain(`option "${option}" must be`)
    expect(error.message).toContain(got)
  })
})

describe('retention.maxTotalSize', () => {
  it('reads the size syntax, alone or with keep and maxAge', () => {
    const resolve = (retention: object) => resolveOptions({ retention }, { levels: PINO_LEVELS }).retention
    expect(resolve({ maxTotalSize: '10GB' })).toEqual({
      keep: undefined,
      maxAgeMs: undefined,
      maxTotalSize: 10 * 1024 ** 3,
      laneMaxAgeMs: new Map(),
    })
    expect(resolve({ keep: 2, maxAge: '1d', maxTotalSize: 4096 })).toEqual({
      keep: 2,
      maxAgeMs: 86_400_000,
      maxTotalSize: 4096,
      laneMaxAgeMs: new Map(),
    })
    expect(resolve({ maxTotalSize: '512kb' })?.maxTotalSize).toBe(512 * 1024)
  })
})

describe('retention.lanes', () => {
  const DAY = 86_400_000
  const pending = { levelsPending: true }

  it('reads a maxAge per domain, level or extra lane, alone or with the folder-wide rules', () => {
    const options = resolveOptions(
      {
        domains: ['app', 'audit'],
        lanes: ['alerts'],
        mirrors: { error: ['alerts'] },
        retention: {
          maxAge: '7d',
          lanes: { audit: { maxAge: '52w' }, debug: { maxAge: '1d' }, alerts: { maxAge: '30d' } },
        },
      },
      { levels: PINO_LEVELS },
    )
    expect(options.retention?.laneMaxAgeMs).toEqual(
      new Map([
        ['audit', 364 * DAY],
        ['debug', DAY],
        ['alerts', 30 * DAY],
      ]),
    )
    expect(resolveOptions({ retention: { lanes: { app: { maxAge: '12h' } } } }).retention).toEqual({
      keep: undefined,
      maxAgeMs: undefined,
      maxTotalSize: undefined,
      laneMaxAgeMs: new Map([['app', 12 * 3_600_000]]),
    })
  })

  it.each([
    [
      'a lane that is not one, with the closest',
      { domains: ['app', 'audit'], retention: { lanes: { audti: { maxAge: '1d' } } } },
      `loglanes: option "retention.lanes.audti" must be keyed by a lane (domains, level files or names declared in "lanes": app, audit, trace, debug, info, warn, error, fatal); got 'audti' (did you mean 'audit'?)`,
    ],
    [
      'a level while level files are off',
      { levelFiles: false, retention: { lanes: { debug: { maxAge: '1d' } } } },
      `loglanes: option "retention.lanes.debug" must be keyed by a lane (domains, level files or names declared in "lanes": app); got 'debug'`,
    ],
    [
      'lanes not an object',
      { retention: { lanes: ['app'] } },
      `loglanes: option "retention.lanes" must be an object { lane: { maxAge: '30d' } }; got ["app"]`,
    ],
    [
      'a lane rule not an object',
      { retention: { lanes: { app: '1d' } } },
      `loglanes: option "retention.lanes.app" must be an object { maxAge: '30d' }; got '1d'`,
    ],
    [
      'a lane rule without maxAge',
      { retention: { lanes: { app: {} } } },
      `loglanes: option "retention.lanes.app.maxAge" must be a duration like '30m', '12h', '7d' or '4w'; got undefined`,
    ],
    [
      'a lane maxAge malformed',
      { retention: { lanes: { app: { maxAge: '1 year' } } } },
      `loglanes: option "retention.lanes.app.maxAge" must be a duration like '30m', '12h', '7d' or '4w'; got '1 year'`,
    ],
    [
      'a lane rule with another key',
      { retention: { lanes: { app: { maxAge: '1d', keep: 3 } } } },
      `loglanes: option "retention.lanes.app.keep" is not a per-lane retention option (use maxAge); got 3`,
    ],
  ])('%s is a LanesConfigError naming the option', (_, input, message) => {
    const error = configError(input)
    expect(error).toBeInstanceOf(LanesConfigError)
    expect(error.message).toBe(message)
  })

  it('while the levels are pending (winston), a name that may be a level is taken, and checked once they are known', () => {
    const input = { retention: { lanes: { silly: { maxAge: '1d' } } } }
    expect(resolveOptions(input, pending).retention?.laneMaxAgeMs.get('silly')).toBe(DAY)
    expect(() => resolveOptions(input, { levels: PINO_LEVELS })).toThrow('option "retention.lanes.silly"')
    expect(() => resolveOptions({ retention: { lanes: { 'a/b': { maxAge: '1d' } } } }, pending)).toThrow(
      'option "retention.lanes.a/b"',
    )
  })
})
