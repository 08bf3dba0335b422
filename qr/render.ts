/** QR images of a code's URL, for labels (PNG) and pages (SVG). */
import QRCode from 'qrcode'

// 'M' recovers ~15% damage: enough for a sewn-in label while keeping the module count low.
const options = { errorCorrectionLevel: 'M', margin: 2 } as const

export const renderQrSvg = (text: string): Promise<string> => QRCode.toString(text, { ...options, type: 'svg' })

export const renderQrPng = (text: string): Promise<Buffer> => QRCode.toBuffer(text, { ...options, type: 'png', width: 512 })
