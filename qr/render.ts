/** QR images of a code's URL, for labels (PNG) and pages (SVG). The QR library loads at the first image, not at start. */
const qrcode = async () => (await import('qrcode')).default

// 'M' recovers ~15% damage: enough for a sewn-in label while keeping the module count low.
const options = { errorCorrectionLevel: 'M', margin: 2 } as const

export const renderQrSvg = async (text: string): Promise<string> => (await qrcode()).toString(text, { ...options, type: 'svg' })

export const renderQrPng = async (text: string): Promise<Buffer> => (await qrcode()).toBuffer(text, { ...options, type: 'png', width: 512 })
