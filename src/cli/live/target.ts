/** `[user@]host[:port]` as ssh users write it; an IPv6 address with a port goes in brackets. */

export interface Target {
  user: string;
  host: string;
  port: number;
}

export class TargetError extends Error {}

export function parseTarget(text: string, defaultUser: string): Target {
  let rest = text.trim();
  let user = defaultUser;
  const at = rest.lastIndexOf("@");
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (user === "") throw new TargetError(`${text}: the user name before @ is empty`);
  }
  let host = rest;
  let port = 22;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (bracket !== null) {
    host = bracket[1] as string;
    if (bracket[2] !== undefined) port = Number(bracket[2]);
  } else if ((rest.match(/:/g) ?? []).length === 1) {
    const i = rest.indexOf(":");
    host = rest.slice(0, i);
    const p = rest.slice(i + 1);
    if (!/^\d+$/.test(p)) throw new TargetError(`${text}: the port after : is not a number`);
    port = Number(p);
  }
  if (host === "" || /[\s/]/.test(host)) throw new TargetError(`${text}: not a host name or address`);
  if (!(Number.isInteger(port) && port >= 1 && port <= 65535)) throw new TargetError(`${text}: port must be 1..65535`);
  return { user, host, port };
}

/** How known_hosts names the host: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}
