/**
 * Issuing one product: the one path POST /products and the batch job share. The brand's and collection's facts
 * come from `IssuingFacts`, so a batch loads them once for all its items.
 */
import { randomBytes } from 'node:crypto'
import { Type, type Static } from '@fastify/type-provider-typebox'
import type { CommandApiContext } from '../../app/context.ts'
import { streams } from '../../domain/ids.ts'
import { CSET_82_SERIAL } from '../../domain/product/gtin.ts'
import { productDecider } from '../../domain/product/index.ts'
import type { BrandFacts, CollectionFacts, CreateProduct } from '../../domain/product/commands.ts'
import { hasPassportData, passportDataOf, withoutPassportData } from '../../domain/product/rules/passportData.ts'
import type { CommandContext } from '../../http/commandContext.ts'
import { HttpProblem } from '../../http/problem.ts'
import { qrCodesFor } from '../../qr/codes.ts'
import { Id, LongText, Materials, Money, Strict, Text } from '../../shared/schemas.ts'
import { issuingBrand } from '../brandName.ts'
import { claimAll, itemIdentifierKey } from '../claims.ts'
import { handleCommand } from '../handleCommand.ts'
import { passportDataFields } from '../lifecycle/schemas.ts'
import { collectionFacts } from './collectionFacts.ts'

export const NewProduct = Strict({
  name: Text(200),
  description: Type.Optional(LongText(5000)),
  collectionId: Type.Optional(Id),
  designId: Type.Optional(Id),
  gtin: Type.Optional(Type.String({ pattern: '^(?:[0-9]{8}|[0-9]{12,14})$', format: 'gtin', description: 'GTIN-8/12/13/14 with its check digit' })),
  serialNumber: Type.Optional(
    Type.String({ pattern: '^[!-~]{1,20}$', description: 'up to 20 printable ASCII characters; with a GTIN, of GS1 CSET 82 (GS1 application identifier 21)' }),
  ),
  materials: Type.Optional(Materials),
  madeIn: Type.Optional(Text(100)),
  originalPrice: Type.Optional(Money),
  ...passportDataFields,
})

export type NewProductBody = Static<typeof NewProduct>

/** With a GTIN, the serial number goes into a GS1 Digital Link, which takes CSET 82 only. */
export function requireDigitalLinkSerial({ gtin, serialNumber }: { gtin?: string; serialNumber?: string }): void {
  if (gtin === undefined || serialNumber === undefined || CSET_82_SERIAL.test(serialNumber)) return
  const message = 'with a GTIN, must be 1 to 20 characters of GS1 CSET 82'
  throw new HttpProblem(400, 'Bad Request', 'the request is not valid', [{ path: '/body/serialNumber', message }])
}

/** What a new product needs to know of its brand and collection. */
export interface IssuingFacts {
  brand(): Promise<{ brandName: string; facts: BrandFacts }>
  /** 422 when the collection does not exist. */
  collection(collectionId: string): Promise<CollectionFacts>
}

export const issuingFacts = (ctx: CommandApiContext, brandId: string): IssuingFacts => ({
  brand: () => issuingBrand(ctx, brandId),
  async collection(collectionId) {
    const facts = await collectionFacts(ctx, collectionId)
    if (!facts) throw new HttpProblem(422, 'Unprocessable Content', 'the collection does not exist')
    return facts
  },
})

/** The same facts, each loaded once (a batch's items share them). */
export function memoizedFacts(facts: IssuingFacts): IssuingFacts {
  let brand: ReturnType<IssuingFacts['brand']> | undefined
  const collections = new Map<string, Promise<CollectionFacts>>()
  return {
    brand: () => (brand ??= facts.brand()),
    collection(collectionId) {
      let loaded = collections.get(collectionId)
      if (!loaded) collections.set(collectionId, (loaded = facts.collection(collectionId)))
      return loaded
    },
  }
}

export const newNonce = () => randomBytes(12).toString('base64url')

const newSerialNumber = () => randomBytes(8).toString('hex').toUpperCase()

export interface IssueProduct {
  body: NewProductBody
  productId: string
  brandId: string
  facts: IssuingFacts
  metadata: CommandContext
  newEventId: () => string
  ifMatch?: number
}

/** Creates the product with its first QR code; refusals throw as a single POST /products answers them. */
export async function issueProduct(ctx: CommandApiContext, { body, productId, brandId, facts, metadata, newEventId, ifMatch }: IssueProduct) {
  requireDigitalLinkSerial(body)
  const passportData = passportDataOf(body)
  const product = { ...withoutPassportData(body), productId, serialNumber: body.serialNumber ?? newSerialNumber() }
  const [{ brandName, facts: brand }, collection] = await Promise.all([facts.brand(), product.collectionId === undefined ? undefined : facts.collection(product.collectionId)])
  const issued = qrCodesFor(ctx.config).issue({ ...product, nonce: newNonce() })
  const data = { ...product, ...issued, brandId, brandName, brand, collection, ...(hasPassportData(passportData) ? { passportData } : {}) }
  // (gtin, serialNumber) is unique across brands: its claim is written with the creation, once the decider agreed.
  const { gtin, serialNumber } = product
  const beforeAppend = async () => {
    if (gtin !== undefined) await claimAll(ctx, [{ kind: 'itemIdentifier', value: itemIdentifierKey(gtin, serialNumber) }], productId, metadata)
  }
  const command = { type: 'CreateProduct', data, metadata } as CreateProduct
  const result = await handleCommand({ log: ctx.eventLog, streamId: streams.product(productId), decider: productDecider, command, metadata, ifMatch, newEventId, beforeAppend })
  return { ...issued, productId, serialNumber, result }
}
