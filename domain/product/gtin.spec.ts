import t from 'tap'
import { gs1CheckDigit, isValidGtin } from './gtin.ts'

t.test('computes the GS1 check digit', async t => {
  t.equal(gs1CheckDigit('400638133393'), 1)
  t.equal(gs1CheckDigit('9638507'), 4)
})

t.test('accepts GTIN-8, -12, -13 and -14 with a valid check digit', async t => {
  for (const gtin of ['96385074', '036000291452', '4006381333931', '10614141000415', '00000000000000']) t.ok(isValidGtin(gtin), gtin)
})

t.test('refuses a wrong check digit', async t => {
  for (const gtin of ['96385075', '036000291453', '4006381333932', '10614141000416']) t.notOk(isValidGtin(gtin), gtin)
})

t.test('refuses other lengths and non-digits', async t => {
  for (const gtin of ['', '1234567', '12345678901', '400638133393A', '4006381 33393', '400638133393100', '-4006381333931'])
    t.notOk(isValidGtin(gtin), JSON.stringify(gtin))
})
