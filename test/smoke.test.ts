import { parseCapture } from "../src/index.js";

test("the seed's first packet line parses into its fields", () => {
  const r = parseCapture("2010-10-27 12:40:19.050364 port1 out 82.x.x.x.59730 -> 82.71.226.65.8889: udp 64\n");
  expect(r.packets[0]).toMatchObject({ iface: "port1", dir: "out", proto: "udp", src: "82.x.x.x", sport: 59730, dst: "82.71.226.65", dport: 8889, length: 64 });
});
