/** The caveats every problem verdict of a capture carries (a leaf of the contract). */

/** Why a missing reply may not mean what it seems, for every problem verdict of the capture. */
export interface Caveats {
  /** packets the sniffer's trailer says the kernel dropped (> 0), else null */
  kernelDrops: number | null;
  /** the capture's packet count limit, when the capture stopped there; else null */
  countLimit: number | null;
  /** masked addresses among the hosts (`82.x.x.x`) */
  masked: string[];
}
