// winston's standard suite for transports (abstract-winston-transport), run against LanesTransport. The suite is
// written for mocha: its globals are vitest's here, and its `done` callbacks become promises.
import { createRequire } from 'node:module'
import { LanesTransport } from '@loglanes/winston'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../support/files.js'

type Hook = (done?: (error?: unknown) => void) => unknown

/** A mocha-style function (one taking `done`) as one returning a promise. */
function promised(fn: Hook): () => unknown {
  if (fn.length === 0) return () => fn()
  return () =>
    new Promise<void>((resolve, reject) => {
      fn((error) => (error ? reject(error) : resolve()))
    })
}

const registered: string[] = []
Object.assign(globalThis, {
  describe,
  it: (name: string, fn: Hook) => {
    registered.push(name)
    it(name, promised(fn))
  },
  beforeEach: (fn: Hook) => beforeEach(promised(fn)),
  afterEach: (fn: Hook) => afterEach(promised(fn)),
  after: (fn: Hook) => afterAll(promised(fn)),
})

const suite = createRequire(import.meta.url)('abstract-winston-transport') as (options: object) => void
suite({
  name: 'LanesTransport',
  Transport: LanesTransport,
  construct: () => ({ dir: tempDir(), interval: 'none' }),
})

describe('abstract-winston-transport', () => {
  it("registers all of the suite's 4 cases (log with and without a callback, the 'logged' event)", () => {
    expect(registered).toEqual([
      'should be present',
      '(with no callback) should return true',
      '(with callback) should return true',
      'should emit the "logged" event',
    ])
  })
})
