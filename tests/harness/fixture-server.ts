/**
 * Serves the chart fixture pages on loopback, with the real lightweight-charts build from
 * node_modules at /vendor/lightweight-charts.js. Host match patterns ignore ports, so the
 * extension's `http://127.0.0.1/*` pattern covers the random port.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const FIXTURES = new URL('../e2e/fixtures/', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;
const VENDOR: Record<string, string> = {
  '/vendor/lightweight-charts.js': join(ROOT, 'node_modules/lightweight-charts/dist/lightweight-charts.standalone.production.js'),
};
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css' };

export class FixtureServer {
  private constructor(private readonly http: Server) {}

  static async start(): Promise<FixtureServer> {
    const http = createServer(async (req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const file = VENDOR[path] ?? join(FIXTURES, normalize(path).replace(/^(\.\.[/\\])+/, ''));
      if (!file.startsWith(FIXTURES) && !VENDOR[path]) return void res.writeHead(403).end();
      try {
        const body = await readFile(file);
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
      } catch {
        res.writeHead(404).end('not found');
      }
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return new FixtureServer(http);
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}${path}`;
  }

  async close(): Promise<void> {
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}
