// Sample app: answers every request with a greeting and the version it was built from.
const http = require('node:http');

const version = process.env.APP_VERSION || '1';
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`Hello from Slipway! (version ${version}, task ${require('node:os').hostname()})\n`);
});
server.keepAliveTimeout = 5000;
server.listen(Number(process.env.PORT || 3000), () => console.log(`listening on ${process.env.PORT || 3000}`));

// Finish in-flight requests, then exit: Swarm has already taken this task out of DNS.
process.on('SIGTERM', () => {
  console.log('SIGTERM: closing');
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
});
