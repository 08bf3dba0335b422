/** The brand's passport data (care, repair, disassembly, substances, compliance): set by the product's brand only. */
import { Forbidden, RuleViolated } from '../../errors.ts'
import { defined } from '../../defined.ts'
import type { SetPassportData } from '../lifecycleCommands.ts'
import type { PassportData, PassportDataUpdated } from '../lifecycleEvents.ts'
import type { ProductState } from '../state.ts'
import { requireProduct } from './guards.ts'

export const PASSPORT_DATA_FIELDS = [
  'care',
  'repairInstructions',
  'disassembly',
  'substancesOfConcern',
  'compliance',
  'legalName',
  'address',
] as const satisfies readonly (keyof PassportData)[]

/** The passport-data fields of an object that may hold others. */
export const passportDataOf = (value: PassportData): PassportData =>
  defined(Object.fromEntries(PASSPORT_DATA_FIELDS.map(field => [field, value[field]])) as PassportData)

/** The other fields of an object holding passport data among them. */
export const withoutPassportData = <Value extends PassportData>(value: Value): Omit<Value, keyof PassportData> =>
  Object.fromEntries(Object.entries(value).filter(([field]) => !(PASSPORT_DATA_FIELDS as readonly string[]).includes(field))) as Omit<Value, keyof PassportData>

export const hasPassportData = (value: PassportData): boolean => PASSPORT_DATA_FIELDS.some(field => value[field] !== undefined)

export const passportDataUpdated = (productId: string, data: PassportData, updatedBy: string, updatedAt: string): PassportDataUpdated => ({
  type: 'PassportDataUpdated',
  data: { productId, ...passportDataOf(data), updatedBy, updatedAt },
})

export const setPassportData = ({ data, metadata }: SetPassportData, state: ProductState): [PassportDataUpdated] => {
  requireProduct(state)
  if (metadata.actorId !== state.brandId) throw new Forbidden('only the product’s brand can set its passport data')
  if (!hasPassportData(data)) throw new RuleViolated('no passport data to set')
  return [passportDataUpdated(data.productId, data, metadata.actorId, metadata.now)]
}
