/** The request shapes of lifecycle records and of the brand's passport data. */
import { Type } from '@sinclair/typebox'
import { MediaIds, OneOf, Strict, Text, Time } from '../../shared/schemas.ts'

export const LifecycleType = OneOf('repair', 'alteration', 'cleaning', 'inspection', 'take_back', 'recycling')

export const LifecycleStatus = OneOf('pending_owner', 'accepted', 'refused')

export const NewLifecycleRecord = Strict({
  type: LifecycleType,
  description: Text(2000),
  occurredAt: Type.Optional(Time),
  mediaIds: Type.Optional(MediaIds),
  details: Type.Optional(
    Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,49}$' }), Text(500), {
      maxProperties: 20,
      description: 'free facts about the work: `{ "part": "zip", "cost": "35 EUR" }`',
    }),
  ),
})

const Substance = Strict({ name: Text(200), casNumber: Type.Optional(Type.String({ pattern: '^[0-9]{2,7}-[0-9]{2}-[0-9]$' })), location: Type.Optional(Text(200)) })

const ComplianceDocument = Strict({ name: Text(200), url: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 }) })

/** The brand's passport data, in POST /products and PUT /products/{productId}/passport-data alike. */
export const passportDataFields = {
  care: Type.Optional(Text(5000)),
  repairInstructions: Type.Optional(Text(10_000)),
  disassembly: Type.Optional(Text(10_000)),
  substancesOfConcern: Type.Optional(Type.Array(Substance, { maxItems: 50 })),
  compliance: Type.Optional(Type.Array(ComplianceDocument, { maxItems: 50 })),
  legalName: Type.Optional(Text(200)),
  address: Type.Optional(Text(500)),
}

export const PassportDataBody = Strict(passportDataFields, { minProperties: 1 })
