/** Money in minor units (cents), as the API carries it. */
export interface Money {
  amount: number
  currency: string
}

/** ISO 4217 codes of the currencies in use, as the runtime's Unicode CLDR data knows them. */
export const CURRENCIES: readonly string[] = Intl.supportedValuesOf('currency')

/** The largest amount the API accepts or answers with (the Money schema's maximum), in minor units. */
export const MAX_MONEY_AMOUNT = 1_000_000_000_000
