import { format } from 'node:util'

/** A log call reduced to what both backends write: bound fields and a finished message. */
export interface LogCall {
  readonly fields: Record<string, unknown> | undefined
  readonly message: string | undefined
}

/**
 * Reads the call forms `(message, ...args)`, `(fields, message?, ...args)` and `(error, message?)` with one
 * printf formatter (`util.format`), so both backends write the same message for the same call.
 */
export function readCall(args: readonly unknown[]): LogCall {
  const first = args[0]
  if (typeof first === 'string') {
    return {
      fields: undefined,
      message: args.length > 1 ? format(...(args as [string, ...unknown[]])) : first,
    }
  }
  const rest = args.slice(1)
  const message = rest.length === 0 ? undefined : format(...(rest as [unknown, ...unknown[]]))
  if (first instanceof Error) return { fields: { err: first }, message: message ?? first.message }
  if (first !== null && typeof first === 'object')
    return { fields: first as Record<string, unknown>, message }
  return { fields: undefined, message: args.length === 0 ? '' : format(...(args as [unknown, ...unknown[]])) }
}

/** An error for `exception()`: the value itself when it is one, else an Error made here (with this stack). */
export function asError(value: unknown): Error {
  if (value instanceof Error) return value
  const error = new Error(typeof value === 'string' ? value : format('%o', value))
  Error.captureStackTrace(error, asError)
  return error
}
