/** Money in minor units (cents), as the API carries it. */
export interface Money {
  amount: number
  currency: string
}

/** The largest amount the API accepts or answers with (the Money schema's maximum), in minor units. */
export const MAX_MONEY_AMOUNT = 1_000_000_000_000
