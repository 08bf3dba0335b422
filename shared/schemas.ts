/** The request shapes that recur across write routes; one schema validates, types and documents each. */
import { Type, type TLiteral, type TObject, type TProperties, type TUnion, type ObjectOptions } from '@sinclair/typebox'
import { MAX_MONEY_AMOUNT } from '../domain/money.ts'
import { MAX_PATH_PARAM } from '../http/validation.ts'

/** Every request object refuses unknown fields. */
export const Strict = <Properties extends TProperties>(properties: Properties, options: ObjectOptions = {}): TObject<Properties> =>
  Type.Object(properties, { additionalProperties: false, ...options })

/** An id in a body: ULIDs, and child ids that join a product id and a suffix with `_`. */
export const Id = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' })

/** An id in a path is only bounded: one that names nothing answers 404, not 400. */
export const PathId = Type.String({ minLength: 1, maxLength: MAX_PATH_PARAM })

export const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength })

export const Time = Type.String({ format: 'date-time', maxLength: 40 })

export const Money = Strict({
  amount: Type.Integer({ minimum: 0, maximum: MAX_MONEY_AMOUNT, description: 'minor units (cents)' }),
  currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' }),
})

export const Materials = Type.Array(
  Strict({ fibre: Text(100), percent: Type.Number({ exclusiveMinimum: 0, maximum: 100 }) }),
  { minItems: 1, maxItems: 20 },
)

/** One of a few strings. */
export const OneOf = <const Values extends string[]>(...values: Values): TUnion<TLiteral<Values[number]>[]> =>
  Type.Union(values.map(value => Type.Literal(value)))

export const Condition = OneOf('new', 'like_new', 'good', 'fair')

export const Visibility = OneOf('public', 'anonymous', 'hidden')

export const MediaIds = Type.Array(Id, { maxItems: 10, uniqueItems: true })

/** Body of routes that take none: no body or `{}`; an object with any field is refused. */
export const NoBody = Type.Unsafe<Record<string, never> | undefined>({ not: { type: 'object', minProperties: 1 } })

/** What every write answers with: the global log position of its last event, as a decimal string. */
export const Position = Type.String({ pattern: '^[0-9]+$' })

export const productParams = Strict({ productId: PathId })
