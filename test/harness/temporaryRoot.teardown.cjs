module.exports = require('./temporaryRoot.cjs').tearDown;
