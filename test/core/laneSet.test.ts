import { LaneSets, resolveOptions } from '@loglanes/core'
import { describe, expect, it } from 'vitest'

const PINO_LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 }

function lanes(options: Record<string, unknown>, domain: unknown, level: string): string[] {
  const sets = new LaneSets(resolveOptions(options, { levels: PINO_LEVELS }))
  return sets.lanesOf(domain, level).map((index) => sets.names[index]!)
}

describe('lane sets', () => {
  it('exact: the domain lane and the one file of the level', () => {
    expect(lanes({ domains: ['app', 'db'] }, 'db', 'error')).toEqual(['db', 'error'])
    expect(lanes({ domains: ['app', 'db'] }, 'app', 'debug')).toEqual(['app', 'debug'])
  })

  it('threshold: the file of every level at or below the severity', () => {
    const options = { domains: ['app', 'db'], levelFiles: 'threshold' }
    expect(lanes(options, 'db', 'error')).toEqual(['db', 'trace', 'debug', 'info', 'warn', 'error'])
    expect(lanes(options, 'db', 'trace')).toEqual(['db', 'trace'])
    expect(lanes(options, 'app', 'fatal')).toEqual([
      'app',
      'trace',
      'debug',
      'info',
      'warn',
      'error',
      'fatal',
    ])
  })

  it('threshold places custom levels by their severity', () => {
    const options = { levelFiles: 'threshold', customLevels: { audit: 35 } }
    expect(lanes(options, 'app', 'warn')).toEqual(['app', 'trace', 'debug', 'info', 'audit', 'warn'])
    expect(lanes(options, 'app', 'audit')).toEqual(['app', 'trace', 'debug', 'info', 'audit'])
  })

  it('level files off: only the domain lane', () => {
    expect(lanes({ domains: ['app', 'db'], levelFiles: false }, 'db', 'error')).toEqual(['db'])
  })

  it("a label that is not one of the logger's levels names no file: the domain lane and its mirrors only", () => {
    for (const levelFiles of ['exact', 'threshold']) {
      // pino's label for a number it has no name for, values an app logged as `level`, a level of another logger.
      for (const label of [
        'level-35',
        'L5',
        'FATAL',
        'notice',
        'lvl0',
        'constructor',
        '__proto__',
        'toString',
      ]) {
        expect(lanes({ levelFiles }, 'app', label), label).toEqual(['app'])
      }
    }
    const mirrored = { domains: ['app', 'db'], lanes: ['all'], mirrors: { db: ['all'], error: ['app'] } }
    expect(lanes(mirrored, 'db', 'L5')).toEqual(['db', 'all'])
    // customLevels are the logger's levels: they get files.
    expect(lanes({ customLevels: { audit: 35 } }, 'app', 'audit')).toEqual(['app', 'audit'])
  })

  it("labels learned from the logger (pino's config) get files from then on; other labels still do not", () => {
    const sets = new LaneSets(resolveOptions({}, { levels: PINO_LEVELS }))
    const names = (label: string) => sets.lanesOf('app', label).map((index) => sets.names[index]!)
    expect(names('audit')).toEqual(['app'])
    sets.addLevels({ audit: 35 })
    expect(names('audit')).toEqual(['app', 'audit'])
    expect(names('L5')).toEqual(['app'])
    expect(sets.names).toEqual(['app', 'audit'])
  })

  it('a level label that is not a file name, or names a domain, gets no level file', () => {
    expect(lanes({}, 'app', '../x')).toEqual(['app'])
    expect(lanes({ domains: ['app', 'http'] }, 'app', 'http')).toEqual(['app'])
  })

  it('undeclared or missing domains go to the default domain', () => {
    const options = { domains: ['app', 'db'], defaultDomain: 'db' }
    expect(lanes(options, 'web', 'info')).toEqual(['db', 'info'])
    expect(lanes(options, undefined, 'info')).toEqual(['db', 'info'])
    expect(lanes(options, 42, 'info')).toEqual(['db', 'info'])
    expect(lanes(options, '__proto__', 'info')).toEqual(['db', 'info'])
    expect(lanes(options, '../../etc/x', 'info')).toEqual(['db', 'info'])
  })

  it('mirrors: one hop from the domain and level lanes, to domains, levels and extra lanes', () => {
    const options = {
      domains: ['app', 'db', 'http'],
      lanes: ['alerts', 'all'],
      mirrors: { error: ['alerts'], db: ['app', 'all'], app: ['http'] },
    }
    // db -> app, all; error -> alerts; app -> http is a second hop and is not followed.
    expect(lanes(options, 'db', 'error')).toEqual(['db', 'error', 'app', 'all', 'alerts'])
    expect(lanes(options, 'app', 'info')).toEqual(['app', 'info', 'http'])
  })

  it('mirrors are deduplicated, self-mirrors included', () => {
    const options = {
      domains: ['app', 'db'],
      lanes: ['all'],
      mirrors: { db: ['db', 'all', 'error'], error: ['all'] },
    }
    expect(lanes(options, 'db', 'error')).toEqual(['db', 'error', 'all'])
    expect(lanes(options, 'db', 'info')).toEqual(['db', 'info', 'all', 'error'])
  })

  it('computes a set once per (domain, level) pair and reuses it', () => {
    const sets = new LaneSets(resolveOptions({ domains: ['app', 'db'] }, { levels: PINO_LEVELS }))
    const first = sets.lanesOf('db', 'info')
    expect(sets.lanesOf('db', 'info')).toBe(first)
    expect(sets.lanesOf('nope', 'info')).toBe(sets.lanesOf('app', 'info'))
  })

  it('labels from record data make no lanes and share one set per domain', () => {
    const sets = new LaneSets(resolveOptions({ domains: ['app', 'db'] }, { levels: PINO_LEVELS }))
    const first = sets.lanesOf('app', 'L0')
    for (let i = 0; i < 1000; i++) {
      expect(sets.lanesOf('app', `L${i}`)).toBe(first)
      expect(sets.lanesOf('web', `level-${i}`)).toBe(first)
    }
    expect(sets.names).toEqual(['app'])
    expect(sets.lanesOf('db', 'L999').map((i) => sets.names[i])).toEqual(['db'])
  })
})

describe('lane sets with levelFiles { mode, levels }', () => {
  const listed = (mode: string) => ({
    domains: ['app', 'db'],
    levelFiles: { mode, levels: ['info', 'error'] },
  })

  it('exact: only a listed level gets its file', () => {
    expect(lanes(listed('exact'), 'db', 'error')).toEqual(['db', 'error'])
    expect(lanes(listed('exact'), 'db', 'info')).toEqual(['db', 'info'])
    expect(lanes(listed('exact'), 'db', 'debug')).toEqual(['db'])
    expect(lanes(listed('exact'), 'db', 'warn')).toEqual(['db'])
    // A label nobody configured gets no file either.
    expect(lanes(listed('exact'), 'db', 'level-35')).toEqual(['db'])
  })

  it('threshold: each listed level file holds the records at or above it', () => {
    expect(lanes(listed('threshold'), 'app', 'fatal')).toEqual(['app', 'info', 'error'])
    expect(lanes(listed('threshold'), 'app', 'warn')).toEqual(['app', 'info'])
    expect(lanes(listed('threshold'), 'app', 'info')).toEqual(['app', 'info'])
    expect(lanes(listed('threshold'), 'app', 'debug')).toEqual(['app'])
    expect(lanes(listed('threshold'), 'app', 'level-35')).toEqual(['app'])
  })

  it('mirrors from a listed level still fire', () => {
    const options = { ...listed('exact'), lanes: ['alerts'], mirrors: { error: ['alerts'] } }
    expect(lanes(options, 'db', 'error')).toEqual(['db', 'error', 'alerts'])
    expect(lanes(options, 'db', 'warn')).toEqual(['db'])
  })
})
