module.exports = require("./lazy-closure-deps").lazyModule("typescript");
