/** Formatting helpers shared across stages (a leaf folder: it imports nothing from src/). */
export { plural, noun, listAddresses, listWords, ms, quoted } from "./words.js";
export { serviceLabel, namedService } from "./service.js";
export { formatTime } from "./time.js";
export { renderHeader } from "./header.js";
