// HEALTHCHECK: healthy when the server answers on its port.
const req = require('node:http').get({ host: '127.0.0.1', port: Number(process.env.PORT || 3000), path: '/', timeout: 1500 }, (res) => {
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on('error', () => process.exit(1));
req.on('timeout', () => { req.destroy(); process.exit(1); });
