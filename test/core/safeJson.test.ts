import { safeJsonStringify } from '@loglanes/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

/** An Error with a fixed stack, so expected strings are exact. */
function error(message: string, stack = `Error: ${message}\n    at test (file.ts:1:1)`): Error {
  const err = new Error(message)
  err.stack = stack
  return err
}

describe('safeJsonStringify: plain data', () => {
  it('matches JSON.stringify for plain values', () => {
    expect(safeJsonStringify({ a: 1, b: 'x', c: true, d: null, e: [1, 'two'] })).toBe(
      '{"a":1,"b":"x","c":true,"d":null,"e":[1,"two"]}',
    )
    expect(safeJsonStringify('text')).toBe('"text"')
    expect(safeJsonStringify(42)).toBe('42')
    expect(safeJsonStringify(null)).toBe('null')
    expect(safeJsonStringify([])).toBe('[]')
  })

  it('gives null for a top-level value JSON cannot represent', () => {
    expect(safeJsonStringify(undefined)).toBe('null')
    expect(safeJsonStringify(() => 1)).toBe('null')
    expect(safeJsonStringify(Symbol('s'))).toBe('null')
  })

  it('is compact and single-line', () => {
    expect(safeJsonStringify({ a: { b: [1, 2] }, s: 'line1\nline2' })).toBe(
      '{"a":{"b":[1,2]},"s":"line1\\nline2"}',
    )
  })

  it('renders Dates through their toJSON', () => {
    expect(safeJsonStringify({ d: new Date(0), bad: new Date(Number.NaN) })).toBe(
      '{"d":"1970-01-01T00:00:00.000Z","bad":null}',
    )
  })

  it('unboxes boxed primitives like JSON.stringify', () => {
    const boxed = [new Number(3), new String('s'), new Boolean(false), Object(5n)]
    expect(safeJsonStringify(boxed)).toBe('[3,"s",false,"5"]')
  })

  it('keeps an own "__proto__" key as data', () => {
    const o = JSON.parse('{"__proto__":1}')
    expect(safeJsonStringify({ deep: o, n: 1n })).toBe('{"deep":{"__proto__":1},"n":"1"}')
  })

  it('agrees with JSON.stringify on arbitrary JSON values, also past the fast-path limits', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(safeJsonStringify(value)).toBe(JSON.stringify(value))
        // Nested 10 deep, the value takes the careful path.
        let deep: unknown = value
        for (let i = 0; i < 10; i++) deep = { d: deep, n: 1n }
        expect(safeJsonStringify(deep)).toBe(
          JSON.stringify(deep, (_k, v) => (typeof v === 'bigint' ? `${v}` : v)),
        )
      }),
    )
  })
})

describe('safeJsonStringify: circular and shared references', () => {
  it('marks a direct self-reference', () => {
    const a: Record<string, unknown> = { x: 1 }
    a.self = a
    expect(safeJsonStringify(a)).toBe('{"x":1,"self":"[Circular]"}')
  })

  it('marks a deep reference to an ancestor', () => {
    const root: Record<string, unknown> = { name: 'root' }
    root.child = { level: 1, child: { level: 2, back: root } }
    expect(safeJsonStringify(root)).toBe(
      '{"name":"root","child":{"level":1,"child":{"level":2,"back":"[Circular]"}}}',
    )
  })

  it('marks cycles through arrays', () => {
    const list: unknown[] = [1]
    list.push(list)
    list.push({ inner: list })
    expect(safeJsonStringify(list)).toBe('[1,"[Circular]",{"inner":"[Circular]"}]')
    expect(safeJsonStringify({ list })).toBe('{"list":[1,"[Circular]",{"inner":"[Circular]"}]}')
  })

  it('serializes a shared, non-circular reference every time it appears', () => {
    const x = { v: 1 }
    expect(safeJsonStringify({ a: x, b: x, c: [x, x] })).toBe(
      '{"a":{"v":1},"b":{"v":1},"c":[{"v":1},{"v":1}]}',
    )
    // Still true on the careful path (a BigInt forces it).
    expect(safeJsonStringify({ a: x, b: x, n: 1n })).toBe('{"a":{"v":1},"b":{"v":1},"n":"1"}')
  })

  it('handles a wide cyclic graph quickly', () => {
    // A check with only a depth cap would visit 10^depth paths here.
    const root: Record<string, unknown> = {}
    for (let k = 0; k < 10; k++) root[`k${k}`] = root
    const started = performance.now()
    expect(safeJsonStringify(root)).toBe(
      `{${Array.from({ length: 10 }, (_, k) => `"k${k}":"[Circular]"`).join(',')}}`,
    )
    expect(performance.now() - started).toBeLessThan(1000)
  })
})

describe('safeJsonStringify: BigInt', () => {
  it('renders a top-level BigInt as its decimal string', () => {
    expect(safeJsonStringify(12n)).toBe('"12"')
    expect(safeJsonStringify(-12345678901234567890n)).toBe('"-12345678901234567890"')
  })

  it('renders nested BigInts', () => {
    expect(safeJsonStringify({ n: [1n, { m: 2n }], ok: true })).toBe('{"n":["1",{"m":"2"}],"ok":true}')
  })
})

describe('safeJsonStringify: errors', () => {
  it('renders an Error with type, message, stack and own enumerable props', () => {
    const err = Object.assign(error('boom'), { code: 'E_BOOM', errno: -2 })
    expect(safeJsonStringify(err)).toBe(
      '{"type":"Error","message":"boom","stack":"Error: boom\\n    at test (file.ts:1:1)","code":"E_BOOM","errno":-2}',
    )
  })

  it('renders a nested Error', () => {
    expect(safeJsonStringify({ err: error('x', 'S') })).toBe(
      '{"err":{"type":"Error","message":"x","stack":"S"}}',
    )
    expect(safeJsonStringify({ list: [error('y', 'S')] })).toBe(
      '{"list":[{"type":"Error","message":"y","stack":"S"}]}',
    )
  })

  it('uses the subclass name as type, without repeating an own enumerable name', () => {
    class DbError extends Error {
      constructor(message: string) {
        super(message)
        this.name = 'DbError'
      }
    }
    const err = new DbError('down')
    err.stack = 'S'
    expect(safeJsonStringify(err)).toBe('{"type":"DbError","message":"down","stack":"S"}')
    const typeErr = new TypeError('bad')
    typeErr.stack = 'T'
    expect(safeJsonStringify(typeErr)).toBe('{"type":"TypeError","message":"bad","stack":"T"}')
  })

  it('does not let own enumerable props overwrite type, message or stack', () => {
    const err = Object.assign(error('real', 'S'), { type: 'fake', code: 'C' })
    expect(safeJsonStringify(err)).toBe('{"type":"Error","message":"real","stack":"S","code":"C"}')
  })

  it('keeps cause and AggregateError errors, which are non-enumerable', () => {
    const err = new Error('outer', { cause: error('inner', 'I') })
    err.stack = 'O'
    expect(safeJsonStringify(err)).toBe(
      '{"type":"Error","message":"outer","stack":"O","cause":{"type":"Error","message":"inner","stack":"I"}}',
    )
    const agg = new AggregateError([error('a', 'A')], 'all failed')
    agg.stack = 'G'
    expect(safeJsonStringify(agg)).toBe(
      '{"type":"AggregateError","message":"all failed","stack":"G","errors":[{"type":"Error","message":"a","stack":"A"}]}',
    )
  })

  it('marks an error that refers to itself', () => {
    const err = error('loop', 'S')
    Object.assign(err, { self: err })
    expect(safeJsonStringify({ err })).toBe(
      '{"err":{"type":"Error","message":"loop","stack":"S","self":"[Circular]"}}',
    )
  })
})

describe('safeJsonStringify: what JSON drops or customizes', () => {
  it('drops symbol keys and symbol/function values, nulls them in arrays', () => {
    const value = {
      [Symbol('key')]: 1,
      fn() {},
      sym: Symbol('value'),
      kept: 'yes',
      list: [() => 1, Symbol('x'), undefined],
    }
    expect(safeJsonStringify(value)).toBe('{"kept":"yes","list":[null,null,null]}')
    // Same on the careful path.
    expect(safeJsonStringify({ ...value, n: 1n })).toBe('{"kept":"yes","list":[null,null,null],"n":"1"}')
  })

  it('honours toJSON, passing the key as JSON.stringify does', () => {
    const custom = { toJSON: (key: string) => `custom@${key}` }
    expect(safeJsonStringify({ c: custom })).toBe('{"c":"custom@c"}')
    expect(safeJsonStringify(custom)).toBe('"custom@"')
    expect(safeJsonStringify({ b: Buffer.from('hi') })).toBe('{"b":{"type":"Buffer","data":[104,105]}}')
  })

  it('makes a value whose toJSON returns problems safe too', () => {
    const err = error('from toJSON', 'S')
    expect(safeJsonStringify({ v: { toJSON: () => ({ err, n: 7n }) } })).toBe(
      '{"v":{"err":{"type":"Error","message":"from toJSON","stack":"S"},"n":"7"}}',
    )
  })
})

describe('safeJsonStringify: never throws', () => {
  it('marks a throwing getter as unserializable and keeps the rest', () => {
    const value = {
      ok: 1,
      get broken(): unknown {
        throw new Error('getter')
      },
      after: 2,
    }
    expect(safeJsonStringify(value)).toBe('{"ok":1,"broken":"[Unserializable]","after":2}')
  })

  it('marks a throwing toJSON as unserializable', () => {
    const value = {
      t: {
        toJSON() {
          throw new Error('toJSON')
        },
      },
      ok: true,
    }
    expect(safeJsonStringify(value)).toBe('{"t":"[Unserializable]","ok":true}')
  })

  it('marks a throwing proxy as unserializable', () => {
    const trap = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('trap')
        },
      },
    )
    expect(safeJsonStringify({ trap, ok: 1 })).toBe('{"trap":"[Unserializable]","ok":1}')
  })

  it('returns a string for absurdly deep nesting', () => {
    let deep: Record<string, unknown> = {}
    const root = deep
    for (let i = 0; i < 100_000; i++) {
      const next = {}
      deep.n = next
      deep = next
    }
    expect(typeof safeJsonStringify(root)).toBe('string')
  })
})
