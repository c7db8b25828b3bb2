/* global importScripts, WebSocket, self, setTimeout */
// The parse-only floor (npm run bench:browser): the same socket as LiqLens, every frame parsed and
// dropped. config.js is written by scripts/bench-browser.ts with the fake venue's URL.
importScripts('config.js');

function connect() {
  const ws = new WebSocket(self.BENCH_WS_URL);
  ws.onmessage = (event) => JSON.parse(event.data);
  ws.onclose = () => setTimeout(connect, 1000);
}
connect();
