/** Money in minor units (cents), as the API carries it. */
export interface Money {
  amount: number
  currency: string
}
