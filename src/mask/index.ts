export { AddressMasker, parseIPv4, parseIPv6, formatIPv4, formatIPv6, parseMac, formatMac, type AddressMaskOptions, type MaskKeepClass, type MaskCounts } from "./addresses.js";
export { FrameMasker } from "./frame.js";
export { maskCapture, maskText, type MaskResult } from "./capture.js";
export { Hmac, sha256 } from "./prf.js";
