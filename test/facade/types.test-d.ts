import { createLanes, type DomainLogger, type LanesFacade } from 'loglanes'
import { describe, expectTypeOf, it } from 'vitest'

// Type-level tests: compiled by vitest's typecheck, never run.
const log = createLanes({ domains: ['app', 'db', 'my-domain'] })

describe('createLanes types', () => {
  it('makes each declared domain a typed member', () => {
    expectTypeOf(log.app).toEqualTypeOf<DomainLogger>()
    expectTypeOf(log.db).toEqualTypeOf<DomainLogger>()
    expectTypeOf(log['my-domain']).toEqualTypeOf<DomainLogger>()
    expectTypeOf(log).toMatchTypeOf<LanesFacade<'app' | 'db' | 'my-domain'>>()
  })

  it('rejects an undeclared domain at compile time', () => {
    // @ts-expect-error 'nope' is not a declared domain
    log.nope.info('x')
  })

  it('get() accepts exactly the domain union', () => {
    expectTypeOf(log.get).parameter(0).toEqualTypeOf<'app' | 'db' | 'my-domain'>()
    expectTypeOf(log.get('db')).toEqualTypeOf<DomainLogger>()
    // @ts-expect-error 'nope' is not in the union
    log.get('nope')
    const name: string = 'db'
    // @ts-expect-error a plain string is not the union either
    log.get(name)
  })

  it('types the call forms and the members', () => {
    log.app.info('Cache size: %d', 42)
    log.app.warn({ path: '/x' }, 'slow %s', 'request')
    log.db.error(new Error('timeout'), 'query failed')
    log.db.exception(new Error('timeout'))
    expectTypeOf(log.app.child({ reqId: 1 })).toEqualTypeOf<DomainLogger>()
    expectTypeOf(log.debugEnabled).toEqualTypeOf<boolean>()
    expectTypeOf(log.shutdown).returns.toEqualTypeOf<Promise<void>>()
    expectTypeOf(log.domains).toEqualTypeOf<readonly ('app' | 'db' | 'my-domain')[]>()
    // @ts-expect-error there is no such level
    log.app.verbose('x')
  })

  it("types a facade without domains (or without options) with the default domain 'app'", () => {
    expectTypeOf(createLanes({})).toEqualTypeOf<LanesFacade<'app'>>()
    expectTypeOf(createLanes()).toEqualTypeOf<LanesFacade<'app'>>()
    expectTypeOf(createLanes({ dir: 'logs' }).app).toEqualTypeOf<DomainLogger>()
    // @ts-expect-error only 'app' is declared
    createLanes({}).db.info('x')
  })

  it('rejects domain names that shadow facade members', () => {
    // @ts-expect-error 'get' is a member of the facade
    createLanes({ domains: ['app', 'get'] })
    // @ts-expect-error 'shutdown' is a member of the facade
    createLanes({ domains: ['shutdown'] })
  })

  it('rejects unknown options and wrong option types', () => {
    // @ts-expect-error backend is 'pino' or 'winston'
    createLanes({ domains: ['app'], backend: 'bunyan' })
    // @ts-expect-error level is a level name
    createLanes({ domains: ['app'], level: 'verbose' })
  })
})
