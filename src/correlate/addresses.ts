/** What an address is, as far as pairing cares: the one address module is `src/net`. */
export { isGroupAddress, isBroadcastFor, isLinkLocal, isUsableUnitAddress } from "../net/index.js";
