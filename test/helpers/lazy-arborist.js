module.exports = require("./lazy-closure-deps").lazyModule("@npmcli/arborist");
